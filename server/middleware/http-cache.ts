import type { Context, MiddlewareHandler } from 'hono'
import { hash } from 'node:crypto'
import { jsonText, replaceResponse } from '../lib/response-body.ts'

/** Default lifetimes of a shared answer, in seconds. */
export const SHARED_MAX_AGE = 5
export const SHARED_STALE_WHILE_REVALIDATE = 30

/** For answers that depend on the reader: never stored by a CDN; the browser revalidates each time. */
export const PRIVATE_CACHE_CONTROL = 'private, max-age=0'
/** For answers every reader gets alike, with the default lifetimes. */
export const SHARED_CACHE_CONTROL = `public, max-age=${SHARED_MAX_AGE}, stale-while-revalidate=${SHARED_STALE_WHILE_REVALIDATE}`

/**
 * Whether an answer with this `Cache-Control` may be stored by a shared cache. Such an answer
 * carries no `RateLimit` fields: a CDN would hand one client's remaining count to everyone else.
 * (The request still counts against the limit, and a refusal, never shared, carries them.)
 */
export const isShared = (cacheControl: string) => cacheControl.startsWith('public')

/** Takes a client's rate-limit counts off an answer that shared caches may store. */
function dropClientFields(headers: Headers): void {
  headers.delete('RateLimit')
  headers.delete('RateLimit-Policy')
}

export interface HttpCacheOptions {
  /** Whether this answer is the same for every reader; asked after the handler has run. */
  shared: (c: Context) => boolean
  /** Request headers the answer depends on, announced in `Vary` (e.g. `X-Voxpop-Voter`). */
  vary?: string[]
  /**
   * What of the JSON text identifies the answer, when part of it changes on every request
   * without changing what the reader sees (e.g. a per-request token); the whole text by default.
   */
  etagSource?: (text: string) => string
  maxAge?: number
  staleWhileRevalidate?: number
}

/** The weak ETag of a JSON text (a hash of it): weak, so that it survives compression. */
export function etagOf(source: string): string {
  return `W/"${hash('sha1', source, 'base64url')}"`
}

/** Whether an `If-None-Match` names this ETag (weak comparison). */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true
  // Weak comparison (RFC 9110 §13.1.2): a compressed copy of the same JSON is the same answer.
  const bare = etag.replace(/^W\//, '')
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare)
}

/**
 * ETag, `Cache-Control` and `304 Not Modified` for a JSON GET route, so a CDN or reverse proxy
 * can absorb a spike: answers every reader gets alike are `public` for a few seconds with
 * `stale-while-revalidate`, the rest `private`. The ETag is a hash of the JSON text, weak so that
 * it survives compression. A `Cache-Control` the route set itself is left as it is.
 */
export function httpCache(options: HttpCacheOptions): MiddlewareHandler {
  const shared = `public, max-age=${options.maxAge ?? SHARED_MAX_AGE}, stale-while-revalidate=${options.staleWhileRevalidate ?? SHARED_STALE_WHILE_REVALIDATE}`
  const vary = options.vary?.join(', ')
  return async function httpCache(c, next) {
    await next()
    if (c.res.status !== 200 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return
    // A route that serves a remembered answer sets the ETag it was given then.
    let etag = c.res.headers.get('etag')
    if (etag === null) {
      const text = await jsonText(c)
      if (text === null) return
      etag = etagOf(options.etagSource ? options.etagSource(text) : text)
      c.res.headers.set('ETag', etag)
    }
    // Read after jsonText, which may have replaced the response.
    const headers = c.res.headers
    if (!headers.has('cache-control')) headers.set('Cache-Control', options.shared(c) ? shared : PRIVATE_CACHE_CONTROL)
    if (isShared(headers.get('cache-control')!)) dropClientFields(headers)
    if (vary) headers.append('Vary', vary)
    const ifNoneMatch = c.req.header('if-none-match')
    if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) {
      headers.delete('content-type')
      headers.delete('content-length')
      replaceResponse(c, null, 304, headers)
    }
  }
}
