import type { Context, MiddlewareHandler } from 'hono'
import type { Config } from '../config.ts'
import type { AppEnv } from '../context.ts'
import { answerKey, type AnswerCache } from '../lib/answer-cache.ts'
import { clientIpOf } from './client-ip.ts'
import { compress, compressible, pickEncoding } from './compress.ts'
import { etagMatches, isShared } from './http-cache.ts'
import type { ClientRateLimit } from './rate-limit.ts'

export interface AnswerLaneOptions {
  answers: AnswerCache
  /** The limiter every API request counts against. */
  global: ClientRateLimit
  trustProxy: Config['trustProxy']
  /** The CORS headers for a request's Origin (`corsAnswerHeaders`). */
  cors: (origin: string | undefined) => readonly (readonly [string, string])[]
}

/** How many requests the lane answered: for tests that must know which path served them. */
export const laneStats = { served: 0 }

/**
 * The short way for a `GET` whose answer is already in the answer cache (a poll, a thread's first
 * page or comment counts, asked without a reader token): it counts the request against the global
 * rate limit from memory and sends the kept answer with the same headers the middleware chain
 * would have set — CORS, RateLimit (on private answers only), ETag, Cache-Control, Vary,
 * compression, `304` — without running that chain, which costs more than the answer itself.
 * Anything else (a miss, a token, a client whose count needs the database or a refusal) goes
 * down the chain as usual.
 */
export function answerLane(options: AnswerLaneOptions): MiddlewareHandler<AppEnv> {
  const { answers, global, trustProxy, cors } = options
  return function answerLane(c, next) {
    if (c.req.header('x-voxpop-voter') !== undefined) return next()
    const answer = answers.get(answerKey(c))
    if (!answer) return next()
    c.set('clientIp', clientIpOf(c, trustProxy))
    const counted = global.tryCount(c)
    if (!counted) return next()
    laneStats.served++
    // A shared answer carries no client's count (see isShared): its fields are not even made.
    const rate = isShared(answer.cacheControl) ? null : global.fields(counted)
    return Promise.resolve(respond(c, answer, rate, cors(c.req.header('origin'))))
  }
}

function respond(
  c: Context,
  answer: NonNullable<ReturnType<AnswerCache['get']>>,
  rate: [policy: string, state: string] | null,
  corsHeaders: readonly (readonly [string, string])[],
): Response {
  const headers: Record<string, string> = {}
  const vary = []
  for (const [name, value] of corsHeaders) {
    if (name === 'Vary') vary.push(value)
    else headers[name] = value
  }
  if (rate) {
    headers['RateLimit-Policy'] = rate[0]
    headers['RateLimit'] = rate[1]
  }
  headers['ETag'] = answer.etag
  headers['Cache-Control'] = answer.cacheControl
  if (answer.vary) vary.push(answer.vary)
  vary.push('Accept-Encoding')
  headers['Vary'] = vary.join(', ')
  const ifNoneMatch = c.req.header('if-none-match')
  if (ifNoneMatch && etagMatches(ifNoneMatch, answer.etag)) return new Response(null, { status: 304, headers })
  headers['Content-Type'] = 'application/json'
  const encoding = compressible(answer.text, answer.cacheControl) ? pickEncoding(c.req.header('accept-encoding')) : null
  if (encoding) headers['Content-Encoding'] = encoding
  // Kept as bytes: encoding a long text to UTF-8 again for every answer costs more than sending it.
  const body = (answer.encoded[encoding ?? 'identity'] ??= toBytes(encoding ? compress(answer.text, encoding) : Buffer.from(answer.text)))
  return new Response(body, { status: 200, headers })
}

const toBytes = (buffer: Buffer) => new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength)
