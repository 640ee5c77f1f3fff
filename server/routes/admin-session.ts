import { Hono } from 'hono'
import * as z from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import type { SessionStore } from '../db/sessions.ts'
import { ApiError } from '../errors.ts'
import { safeEqual } from '../lib/crypto.ts'
import { jsonInput } from '../lib/validate.ts'
import { bearerToken } from '../middleware/admin-auth.ts'

const loginSchema = z.object({ password: z.string().max(1000) })

/** Admin sign-in (`POST`) and sign-out (`DELETE`); the password itself is never logged or stored. */
export function adminSessionRoutes(deps: AppDeps & { sessions: SessionStore }) {
  const { sessions, config } = deps
  const now = deps.now ?? Date.now
  return new Hono<AppEnv>()
    .post('/', jsonInput(loginSchema, 'invalid_request'), (c) => {
      if (config.adminPassword === null) {
        throw new ApiError(401, 'admin_disabled', 'The admin API is disabled: set VOXPOP_ADMIN_PASSWORD to enable it')
      }
      if (!safeEqual(c.req.valid('json').password, config.adminPassword)) {
        throw new ApiError(401, 'invalid_credentials', 'Wrong password')
      }
      const { token, expiresAt } = sessions.open(now())
      return c.json({ token, expiresAt: new Date(expiresAt).toISOString() })
    })
    .delete('/', (c) => {
      const token = bearerToken(c.req.header('authorization'))
      if (token) sessions.close(token)
      return c.body(null, 204)
    })
}
