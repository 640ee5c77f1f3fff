import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'

export interface CorsOptions {
  /** The `Access-Control-Allow-Origin` to send for a request's `Origin`, or null for none. */
  origin: (origin: string) => string | null
  allowHeaders: string[]
  allowMethods: string[]
  exposeHeaders: string[]
  /** How long a browser may keep a preflight's answer, in seconds. */
  maxAge: number
}

/**
 * CORS with the headers of Hono's `cors()`: preflights go to it; every other request gets its
 * headers through `c.header()` before the handler runs. Hono's version writes them onto `c.res`
 * before any response exists, which makes Hono copy the handler's answer through a web stream
 * afterwards: a quarter of the CPU time of a poll read on Node.
 */
export function corsHeaders(options: CorsOptions): MiddlewareHandler {
  const preflight = cors(options)
  const headersFor = corsAnswerHeaders(options)
  return function corsHeaders(c, next) {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    for (const [name, value] of headersFor(c.req.header('origin'))) c.header(name, value, { append: name === 'Vary' })
    return next()
  }
}

/**
 * The CORS headers of an answer (not a preflight) to a request from `origin`, in the order they
 * are set; also used by the answer lane, which builds its answers without the middleware.
 */
export function corsAnswerHeaders(options: CorsOptions): (origin: string | undefined) => readonly (readonly [string, string])[] {
  const expose = options.exposeHeaders.join(',')
  // The headers depend only on what `origin` allows ('*', one listed origin or nothing), a short
  // list: each set is made once.
  const made = new Map<string | null, [string, string][]>()
  return (origin) => {
    const allowed = options.origin(origin ?? '')
    let headers = made.get(allowed)
    if (!headers) {
      headers = []
      if (allowed) headers.push(['Access-Control-Allow-Origin', allowed])
      if (expose) headers.push(['Access-Control-Expose-Headers', expose])
      // The answer depends on Origin whenever the allow-list is a function of it.
      headers.push(['Vary', 'Origin'])
      if (made.size < 1000) made.set(allowed, headers)
    }
    return headers
  }
}
