import type { Context, MiddlewareHandler } from 'hono'
import type { StatusCode } from 'hono/utils/http-status'
import type { Config } from '../config.ts'
import type { AppEnv } from '../context.ts'
import { answerKey, type AnswerCache } from '../lib/answer-cache.ts'
import { toBytes } from '../lib/response-body.ts'
import { addressOf, peerOf } from './client-ip.ts'
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

/** What the lane reads of a `GET`, alike from a Hono context and from a bare Node request. */
export interface LaneRequest {
  /** Path and query, as in the answer cache's keys (`answerKey`). */
  target: string
  /** A request header by its lower-case name. */
  header(name: string): string | undefined
  /** The socket's peer address. */
  peer: string | undefined
}

/** A whole answer, ready for either layer to send. */
export interface LaneReply {
  status: StatusCode
  headers: Record<string, string>
  body: Uint8Array<ArrayBuffer> | null
}

/** How many requests the lane answered: for tests that must know which path served them. */
export const laneStats = { served: 0 }

/**
 * The short way for a `GET` whose answer is already in the answer cache (a poll, a thread's first
 * page or comment counts, asked without a reader token): it counts the request against the global
 * rate limit from memory and makes the kept answer with the same headers the middleware chain
 * would have set — CORS, RateLimit (on private answers only), ETag, Cache-Control, Vary,
 * compression, `304` — without running that chain, which costs more than the answer itself.
 * Anything else (a miss, a token, a client whose count needs the database or a refusal) returns
 * null and goes down the chain as usual.
 */
export function createAnswerLane(options: AnswerLaneOptions): (req: LaneRequest) => LaneReply | null {
  const { answers, global, trustProxy, cors } = options
  return function answerLane(req) {
    if (req.header('x-voxpop-voter') !== undefined) return null
    const answer = answers.get(req.target)
    if (!answer) return null
    const counted = global.tryCountAt(addressOf(req.peer, req.header('x-forwarded-for'), trustProxy))
    if (!counted) return null
    laneStats.served++
    // A shared answer carries no client's count (see isShared): its fields are not even made.
    const rate = isShared(answer.cacheControl) ? null : global.fields(counted)
    return reply(req, answer, rate, cors(req.header('origin')))
  }
}

/** The lane inside Hono, first on `GET /api/*`: what `app.request()` and any request the Node layer passed on go through. */
export function answerLane(lane: (req: LaneRequest) => LaneReply | null): MiddlewareHandler<AppEnv> {
  return function answerLane(c: Context<AppEnv>, next) {
    const found = lane({ target: answerKey(c), header: (name) => c.req.header(name), peer: peerOf(c) })
    if (!found) return next()
    return Promise.resolve(new Response(found.body, { status: found.status, headers: found.headers }))
  }
}

function reply(
  req: LaneRequest,
  answer: NonNullable<ReturnType<AnswerCache['get']>>,
  rate: [policy: string, state: string] | null,
  corsHeaders: readonly (readonly [string, string])[],
): LaneReply {
  const { headers, vary } = laneHeaders(corsHeaders, rate ? [rate] : [])
  headers['ETag'] = answer.etag
  headers['Cache-Control'] = answer.cacheControl
  if (answer.vary) vary.push(answer.vary)
  vary.push('Accept-Encoding')
  headers['Vary'] = vary.join(', ')
  const ifNoneMatch = req.header('if-none-match')
  if (ifNoneMatch && etagMatches(ifNoneMatch, answer.etag)) return { status: 304, headers, body: null }
  headers['Content-Type'] = 'application/json'
  const encoding = compressible(answer.text, answer.cacheControl) ? pickEncoding(req.header('accept-encoding')) : null
  if (encoding) headers['Content-Encoding'] = encoding
  // Kept as bytes: encoding a long text to UTF-8 again for every answer costs more than sending it.
  const body = (answer.encoded[encoding ?? 'identity'] ??= toBytes(encoding ? compress(answer.text, encoding) : Buffer.from(answer.text)))
  return { status: 200, headers, body }
}

/**
 * The header fields the middleware chain sets before a handler runs: CORS (its `Vary` returned
 * apart, to be joined with the answer's own) and the `RateLimit-Policy` and `RateLimit` items of
 * each limiter that counted the request, in the order they counted it.
 */
export function laneHeaders(
  corsHeaders: readonly (readonly [string, string])[],
  rates: readonly (readonly [policy: string, state: string])[],
): { headers: Record<string, string>; vary: string[] } {
  const headers: Record<string, string> = {}
  const vary = []
  for (const [name, value] of corsHeaders) {
    if (name === 'Vary') vary.push(value)
    else headers[name] = value
  }
  if (rates.length) {
    headers['RateLimit-Policy'] = rates.map((r) => r[0]).join(', ')
    headers['RateLimit'] = rates.map((r) => r[1]).join(', ')
  }
  return { headers, vary }
}
