import type { Context, MiddlewareHandler } from 'hono'
import { RateLimiterMemory, RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible'
import type { RateLimit } from '../config.ts'
import type { AppEnv } from '../context.ts'
import type { Db } from '../db/open.ts'
import { ApiError } from '../errors.ts'
import { keyedHash } from '../lib/crypto.ts'

/** The kinds of action limited per client, each with its own `VOXPOP_RATE_*` budget. */
export type RateKind = 'vote' | 'comment' | 'like' | 'login' | 'global'

/** What every limiter needs: the shared counter store and the key that hashes client addresses. */
export interface RateLimitDeps {
  /** The database whose `rate_limits` table all server processes on that file share. */
  db: Db
  secret: string
}

/** Expired counters are swept once per this many limited requests, by whichever limiter gets there. */
const SWEEP_EVERY = 1000
let sinceSweep = 0

function createLimiter(kind: RateKind, rate: RateLimit, db: Db): RateLimiterSQLite {
  const options = { keyPrefix: kind, points: rate.count, duration: rate.windowSeconds }
  return new RateLimiterSQLite({
    ...options,
    storeClient: db,
    storeType: 'better-sqlite3',
    tableName: 'rate_limits',
    // Migration 003 owns the table.
    tableCreated: true,
    // A client over its limit is then refused from memory until its window ends: a flood costs no writes.
    inMemoryBlockOnConsumed: rate.count + 1,
    // Should the database stay locked past busy_timeout, count in this process rather than fail the request.
    insuranceLimiter: new RateLimiterMemory(options),
  })
}

function secondsLeft(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000))
}

/**
 * Adds this limiter's item to the `RateLimit-Policy` and `RateLimit` fields
 * (draft-ietf-httpapi-ratelimit-headers-10 syntax: a quoted policy name, `q` quota and `w` window
 * in seconds; `r` remaining and `t` seconds until the window resets). A request limited twice
 * (global and vote) carries two items in each field.
 */
function announce(c: Context, kind: RateKind, rate: RateLimit, res: RateLimiterRes): void {
  c.header('RateLimit-Policy', `"${kind}";q=${rate.count};w=${rate.windowSeconds}`, { append: true })
  c.header('RateLimit', `"${kind}";r=${Math.max(0, res.remainingPoints)};t=${secondsLeft(res)}`, { append: true })
}

const NOUNS: Record<RateKind, string> = {
  vote: 'votes',
  comment: 'comments',
  like: 'likes',
  login: 'failed sign-ins',
  global: 'requests',
}

function refuse(c: Context, kind: RateKind, rate: RateLimit, rejection: unknown): never {
  // Anything but a RateLimiterRes means both the store and the in-memory insurance failed.
  if (!(rejection instanceof RateLimiterRes)) throw rejection
  announce(c, kind, rate, rejection)
  const wait = secondsLeft(rejection)
  throw new ApiError(429, 'rate_limited', `Too many ${NOUNS[kind]} from this address: try again in ${wait} s`, undefined, {
    'Retry-After': String(wait),
  })
}

/** Deletes counters whose window has ended, once every SWEEP_EVERY calls. */
function createSweeper(db: Db): () => void {
  const purge = db.prepare('DELETE FROM rate_limits WHERE expire < ?')
  return function sweep() {
    if (++sinceSweep < SWEEP_EVERY) return
    sinceSweep = 0
    try {
      purge.run(Date.now())
    } catch {
      // A busy database only delays the sweep to the next turn.
    }
  }
}

/** The counter key of a client: an HMAC of its address, so the table never holds a raw IP. */
function clientKey(c: Context<AppEnv>, secret: string): string {
  return keyedHash(secret, 'rate', c.get('clientIp'))
}

/**
 * Counts every request of one kind per client address; past `rate.count` within
 * `rate.windowSeconds` answers `429 rate_limited` with `Retry-After` until the window ends.
 */
export function rateLimit(kind: RateKind, rate: RateLimit, deps: RateLimitDeps): MiddlewareHandler<AppEnv> {
  const limiter = createLimiter(kind, rate, deps.db)
  const sweep = createSweeper(deps.db)
  return async function rateLimit(c, next) {
    let res: RateLimiterRes
    try {
      res = await limiter.consume(clientKey(c, deps.secret))
    } catch (rejection) {
      refuse(c, kind, rate, rejection)
    }
    sweep()
    announce(c, kind, rate, res)
    await next()
  }
}

/**
 * Admin sign-in: only failures count. Each attempt takes a point up front (so parallel guesses
 * cannot slip past the limit) and a request that did not fail with 401 gives it back; once
 * `rate.count` failures are spent, even the right password gets `429` until the window ends.
 */
export function loginRateLimit(rate: RateLimit, deps: RateLimitDeps): MiddlewareHandler<AppEnv> {
  const limiter = createLimiter('login', rate, deps.db)
  return async function loginRateLimit(c, next) {
    const key = clientKey(c, deps.secret)
    let res: RateLimiterRes
    try {
      res = await limiter.consume(key)
    } catch (rejection) {
      refuse(c, 'login', rate, rejection)
    }
    await next()
    if (c.res.status !== 401) res = await limiter.reward(key)
    announce(c, 'login', rate, res)
  }
}
