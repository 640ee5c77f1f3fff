import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Config } from '../config.ts'
import { errorAnswer } from '../errors.ts'
import { toBytes } from '../lib/response-body.ts'
import { voteSchema, type Voting } from '../lib/voting.ts'
import { laneHeaders, type LaneReply, type LaneRequest } from './answer-lane.ts'
import { addressOf } from './client-ip.ts'
import { COMPRESS_MIN_BYTES, compress, pickEncoding } from './compress.ts'
import { JSON_TYPE, MAX_BODY_BYTES, parseJsonBytes } from './json-body.ts'
import type { ClientRateLimit } from './rate-limit.ts'
import { VOTER_TOKEN } from './voter.ts'

export interface VoteLaneOptions {
  voting: Voting
  /** The limiter every API request counts against, then the votes' own, in the chain's order. */
  global: ClientRateLimit
  vote: ClientRateLimit
  trustProxy: Config['trustProxy']
  /** The CORS headers for a request's Origin (`corsAnswerHeaders`). */
  cors: (origin: string | undefined) => readonly (readonly [string, string])[]
  /** The origins allowed to write, or null when any site may. */
  allowedOrigins: readonly string[] | null
  log: (message: string, detail?: unknown) => void
}

export interface VoteLane {
  /**
   * The poll id of a `POST /api/polls/:id/votes` whose head is that of a plain vote — a JSON body
   * of declared length within the limit, a well-formed voter token, an Origin allowed to write —
   * so the lane can take it; null sends it down the chain as any other request.
   */
  accepts(req: LaneRequest & { method: string }): string | null
  /**
   * Casts the vote with its body and makes the answer the chain would have made; null, with
   * nothing counted or stored, when the chain must answer after all (a body or ballot it refuses,
   * a client whose count needs the rate-limit store).
   */
  vote(req: LaneRequest, pollId: string, body: Uint8Array): Promise<LaneReply | null>
}

/** How many votes the lane answered: for tests that must know which path served them. */
export const voteLaneStats = { served: 0 }

const VOTES_TARGET = /^\/api\/polls\/([A-Za-z0-9_-]{1,64})\/votes$/
const DIGITS = /^\d{1,5}$/

/**
 * The short way for a vote, as the answer lane is for reads: a well-formed ballot goes from the
 * Node request to the ballot store and back without Hono's web `Request` and `Response`, the
 * routing and eight middleware functions — together more CPU time than storing the ballot. It
 * does what that chain does for such a request, with the same functions: the client's address,
 * the global and the vote rate limit (counted from memory only), the ballot's checks, and the
 * same header fields on the answer (CORS, RateLimit, Vary, compression). Every refusal is left to
 * the chain, which then answers (and counts) the request as it always did: the lane counts a
 * request only once it knows the ballot is to be cast, and then answers whatever comes of it.
 */
export function createVoteLane(options: VoteLaneOptions): VoteLane {
  const { voting, global, vote, trustProxy, cors, allowedOrigins, log } = options
  return {
    accepts(req) {
      if (req.method !== 'POST') return null
      const pollId = VOTES_TARGET.exec(req.target)?.[1]
      if (pollId === undefined) return null
      const type = req.header('content-type')
      const length = req.header('content-length')
      if (!type || !JSON_TYPE.test(type) || !length || !DIGITS.test(length) || Number(length) > MAX_BODY_BYTES) return null
      if (req.header('transfer-encoding') !== undefined) return null
      const token = req.header('x-voxpop-voter')
      if (!token || !VOTER_TOKEN.test(token)) return null
      // The server's own pages (demo, admin) also pass the origin guard: they are left to it.
      const origin = req.header('origin')
      if (allowedOrigins !== null && origin !== undefined && !allowedOrigins.includes(origin)) return null
      return pollId
    },

    async vote(req, pollId, body) {
      let checked
      try {
        const ballot = voteSchema.safeParse(parseJsonBytes(body))
        if (!ballot.success) return null
        checked = voting.check(pollId, ballot.data.options)
      } catch {
        return null
      }
      const address = addressOf(req.peer, req.header('x-forwarded-for'), trustProxy)
      if (!global.canCountAt(address) || !vote.canCountAt(address)) return null
      const rates = [global.fields(global.tryCountAt(address)!), vote.fields(vote.tryCountAt(address)!)]
      voteLaneStats.served++
      let status: ContentfulStatusCode = 201
      let json: Uint8Array<ArrayBuffer>
      let extra: Record<string, string> | undefined
      try {
        json = await voting.cast(checked, req.header('x-voxpop-voter')!, address)
      } catch (error) {
        const answer = errorAnswer(error, `POST ${req.target}`, log)
        status = answer.status
        json = toBytes(Buffer.from(JSON.stringify(answer.body)))
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
