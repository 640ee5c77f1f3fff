import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../errors.ts'

/**
 * With an origin allow-list, refuses writes from browsers on other sites (`403 origin_not_allowed`).
 * The server's own origin (demo, admin console) always passes; requests without an Origin header
 * (scripts, curl, server-to-server) are not browsers acting for a visitor and are not refused here.
 * Mounted for writes only, and only when there is an allow-list (app.ts).
 */
export function originGuard(allowed: string[]): MiddlewareHandler {
  return function originGuard(c, next) {
    const origin = c.req.header('origin')
    if (origin) {
      const own = new URL(c.req.url).origin
      if (origin !== own && !allowed.includes(origin)) {
        throw new ApiError(403, 'origin_not_allowed', `Writes from ${origin} are not allowed on this server`)
      }
    }
    return next()
  }
}
