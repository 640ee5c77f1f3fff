import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from '../config.ts'
import { errorAnswer } from '../errors.ts'
import { jsonBytes, toBytes } from '../lib/response-body.ts'
import { laneHeaders, type LaneReply, type LaneRequest } from './answer-lane.ts'
import { addressOf } from './client-ip.ts'
import { COMPRESS_MIN_BYTES, compress, pickEncoding } from './compress.ts'
import { JSON_TYPE, MAX_BODY_BYTES, parseJsonBytes } from './json-body.ts'
import type { ClientRateLimit } from './rate-limit.ts'
import { VOTER_TOKEN } from './voter.ts'

/** A write the lane can take: a vote, a new comment. */
export interface LaneWrite<T> {
  /** The path parameter this write takes from a request target, or null when the target is not its own ('' for none). */
  match(target: string): string | null
  /** The limiter of this kind of write, counted after the global one as the chain does. */
  limit: ClientRateLimit
  /** The parsed body checked as the route checks it, with nothing stored; throws when the chain must answer instead. */
  check(param: string, body: unknown): T
  /** Does the write and resolves with the JSON of its `201` answer; throws (an `ApiError`, say) for any other answer. */
  run(checked: T, token: string, clientIp: string): Promise<Uint8Array<ArrayBuffer>>
}

export interface WriteLaneOptions {
  writes: LaneWrite<unknown>[]
  /** The limiter every API request counts against. */
  global: ClientRateLimit
  trustProxy: Config['trustProxy']
  /** The CORS headers for a request's Origin (`corsAnswerHeaders`). */
  cors: (origin: string | undefined) => readonly (readonly [string, string])[]
  /** The origins allowed to write, or null when any site may. */
  allowedOrigins: readonly string[] | null
  log: (message: string, detail?: unknown) => void
}

/** A request the lane takes: which write, and its path parameter. */
export interface Taken {
  write: LaneWrite<unknown>
  param: string
}

export interface WriteLane {
  /**
   * What a `POST` whose head is that of a plain write — to a target of one of the lane's writes,
   * with a JSON body of declared length within the limit, a well-formed voter token and an Origin
   * allowed to write — is, so that the lane can take it; null sends it down the chain as any other.
   */
  accepts(req: LaneRequest & { method: string }): Taken | null
  /**
   * Does the write with its body and makes the answer the chain would have made; null, with
   * nothing counted or stored, when the chain must answer after all (a body it refuses, a client
   * whose count needs the rate-limit store).
   */
  write(req: LaneRequest, taken: Taken, body: Uint8Array): Promise<LaneReply | null>
}

/** How many writes the lane answered: for tests that must know which path served them. */
export const writeLaneStats = { served: 0 }

const DIGITS = /^\d{1,5}$/

/**
 * The short way for the writes readers make most — votes and new comments — as the answer lane
 * is for reads: a well-formed write goes from the Node request to its store and back without
 * Hono's web `Request` and `Response`, the routing and eight middleware functions, which cost a
 * vote more CPU time than storing it. The lane does what that chain does for such a request, with
 * the same functions: the client's address, the global and the write's own rate limit (counted
 * from memory only), the route's checks, and the same header fields on the answer (CORS,
 * RateLimit, Vary, compression). Every refusal is left to the chain, which then answers (and
 * counts) the request as it always did: the lane counts a request only once it knows the write
 * is to be done, and then answers whatever comes of it.
 */
export function createWriteLane(options: WriteLaneOptions): WriteLane {
  const { writes, global, trustProxy, cors, allowedOrigins, log } = options
  return {
    accepts(req) {
      if (req.method !== 'POST') return null
      let taken: Taken | null = null
      for (const write of writes) {
        const param = write.match(req.target)
        if (param !== null) {
          taken = { write, param }
          break
        }
      }
      if (!taken) return null
      const type = req.header('content-type')
      const length = req.header('content-length')
      if (!type || !JSON_TYPE.test(type) || !length || !DIGITS.test(length) || Number(length) > MAX_BODY_BYTES) return null
      if (req.header('transfer-encoding') !== undefined) return null
      const token = req.header('x-voxpop-voter')
      if (!token || !VOTER_TOKEN.test(token)) return null
      // The server's own pages (demo, admin) also pass the origin guard: they are left to it.
      const origin = req.header('origin')
      if (allowedOrigins !== null && origin !== undefined && !allowedOrigins.includes(origin)) return null
      return taken
    },

    async write(req, { write, param }, body) {
      let checked: unknown
      try {
        checked = write.check(param, parseJsonBytes(body))
      } catch {
        return null
      }
      const address = addressOf(req.peer, req.header('x-forwarded-for'), trustProxy)
      if (!global.canCountAt(address) || !write.limit.canCountAt(address)) return null
      const rates = [global.fields(global.tryCountAt(address)!), write.limit.fields(write.limit.tryCountAt(address)!)]
      writeLaneStats.served++
      let status: ContentfulStatusCode = 201
      let json: Uint8Array<ArrayBuffer>
      let extra: Record<string, string> | undefined
      try {
        json = await write.run(checked, req.header('x-voxpop-voter')!, address)
      } catch (error) {
        const answer = errorAnswer(error, `POST ${req.target}`, log)
        status = answer.status
        json = jsonBytes(answer.body)
        extra = answer.headers
      }
      const { headers, vary } = laneHeaders(cors(req.header('origin')), rates)
      if (extra) Object.assign(headers, extra)
      headers['Content-Type'] = 'application/json'
      vary.push('Accept-Encoding')
      headers['Vary'] = vary.join(', ')
      const encoding = json.byteLength >= COMPRESS_MIN_BYTES ? pickEncoding(req.header('accept-encoding')) : null
      if (encoding) headers['Content-Encoding'] = encoding
      return { status, headers, body: encoding ? toBytes(compress(json, encoding)) : json }
    },
  }
}
