import type { MiddlewareHandler } from 'hono'
import type { SessionStore } from '../db/sessions.ts'
import { ApiError } from '../errors.ts'

/** The bearer token of a request, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = header ? /^Bearer\s+([A-Za-z0-9_-]{16,200})\s*$/i.exec(header) : null
  return m ? m[1]! : null
}

/** Lets a request through only with a live admin session token (`401 unauthorized` otherwise). */
export function adminAuth(sessions: SessionStore, enabled: boolean, now: () => number): MiddlewareHandler {
  return async function adminAuth(c, next) {
    if (!enabled) throw new ApiError(401, 'admin_disabled', 'The admin API is disabled: set VOXPOP_ADMIN_PASSWORD to enable it')
    const token = bearerToken(c.req.header('authorization'))
    // Session tokens are looked up by their SHA-256, so the comparison never touches the secret itself.
    if (token === null || !sessions.valid(token, now())) {
      throw new ApiError(401, 'unauthorized', 'Sign in first: send Authorization: Bearer <token>')
    }
    await next()
  }
}
