import type { Context, MiddlewareHandler } from 'hono'
import { RateLimiterMemory, RateLimiterRes, RateLimiterSQLite } from '../lib/rate-limiter-flexible.ts'
import type { RateLimit } from '../config.ts'
import type { AppEnv } from '../context.ts'
import type { Db } from '../db/open.ts'
import { ApiError } from '../errors.ts'
import { keyedHashMemo } from '../lib/crypto.ts'
import { createLeasedLimiter } from '../lib/leased-limiter.ts'

/** The kinds of action limited per client, each with its own `VOXPOP_RATE_*` budget. */
export type RateKind = 'vote' | 'comment' | 'like' | 'login' | 'global'

/** What every limiter needs: the shared counter store and the key that hashes client addresses. */
export interface RateLimitDeps {
  /** The database whose `rate_limits` table all server processes on that file share. */
  db: Db
  secret: string
}

/** Expired counters are swept once per this many leases taken, by whichever limiter gets there. */
const SWEEP_EVERY = 1000
let sinceSweep = 0

function createLimiter(kind: RateKind, rate: RateLimit, db: Db, blockInMemory: boolean): RateLimiterSQLite {
  const options = { keyPrefix: kind, points: rate.count, duration: rate.windowSeconds }
  return new RateLimiterSQLite({
    ...options,
    storeClient: db,
    storeType: 'better-sqlite3',
    tableName: 'rate_limits',
    // Migration 003 owns the table.
    tableCreated: true,
    // A client over its limit is then refused from memory until its window ends: a flood costs no
    // writes. (The leased limiter does this itself: it may overshoot by a lease and give it back.)
    ...(blockInMemory ? { inMemoryBlockOnConsumed: rate.count + 1 } : {}),
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
function announce(c: Context, kind: RateKind, rate: RateLimit, res: RateLimiterRes, policy = policyItem(kind, rate)): void {
  const [, state] = rateLimitHeaders(kind, rate, res, policy)
  c.header('RateLimit-Policy', policy, { append: true })
  c.header('RateLimit', state, { append: true })
}

/** A limiter's `RateLimit-Policy` item, the same on every answer. */
const policyItem = (kind: RateKind, rate: RateLimit) => `"${kind}";q=${rate.count};w=${rate.windowSeconds}`

/** The `RateLimit-Policy` and `RateLimit` items of one limiter for an answer. */
export function rateLimitHeaders(kind: RateKind, rate: RateLimit, res: RateLimiterRes, policy = policyItem(kind, rate)): [policy: string, state: string] {
  return [policy, `"${kind}";r=${Math.max(0, res.remainingPoints)};t=${secondsLeft(res)}`]
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

/** Each app's counter keys of addresses seen lately: an HMAC costs more than the rest of a limiter's work. */
const rateKeys = new WeakMap<RateLimitDeps, (...parts: string[]) => string>()

/** The counter key of a client: an HMAC of its address, so the table never holds a raw IP; made once per request. */
function clientKey(c: Context<AppEnv>, deps: RateLimitDeps): string {
  let key = c.get('rateKey')
  if (key === undefined) c.set('rateKey', (key = addressKey(c.get('clientIp'), deps)))
  return key
}

/** The counter key of a client address. */
function addressKey(address: string, deps: RateLimitDeps): string {
  let hash = rateKeys.get(deps)
  if (!hash) rateKeys.set(deps, (hash = keyedHashMemo(deps.secret)))
  return hash('rate', address)
}

/** One kind of limit per client: its middleware, and a synchronous count for the answer lane. */
export interface ClientRateLimit {
  middleware: MiddlewareHandler<AppEnv>
  /**
   * Counts a request of the client at `address` from memory when this process holds points for
   * it, and returns what is left; null, with nothing counted, when the middleware has to do it
   * (a lease to take, or a refusal to send).
   */
  tryCountAt(address: string): RateLimiterRes | null
  /** Whether `tryCountAt(address)` would count now, without counting. */
  canCountAt(address: string): boolean
  /** The `RateLimit-Policy` and `RateLimit` values of a count, for an answer that carries them. */
  fields(res: RateLimiterRes): [policy: string, state: string]
}

/**
 * Counts every request of one kind per client address; past `rate.count` within
 * `rate.windowSeconds` answers `429 rate_limited` with `Retry-After` until the window ends.
 * Counting is leased (see `createLeasedLimiter`): most requests touch memory only.
 */
export function createRateLimit(kind: RateKind, rate: RateLimit, deps: RateLimitDeps): ClientRateLimit {
  const limiter = createLeasedLimiter(createLimiter(kind, rate, deps.db, false), rate.count, createSweeper(deps.db))
  const policy = policyItem(kind, rate)
  /** When the points are not in memory: a lease to take from the store, or a refusal. */
  async function fromStore(c: Context<AppEnv>, next: () => Promise<void>, key: string): Promise<void> {
    let res: RateLimiterRes
    try {
      res = await limiter.consume(key)
    } catch (rejection) {
      refuse(c, kind, rate, rejection)
    }
    announce(c, kind, rate, res, policy)
    await next()
  }
  return {
    // Not async: most requests are counted from memory, and then no promise of its own is made.
    middleware: function rateLimit(c, next) {
      const key = clientKey(c, deps)
      const res = limiter.tryConsume(key)
      if (!res) return fromStore(c, next, key)
      announce(c, kind, rate, res, policy)
      return next()
    },
    tryCountAt: (address) => limiter.tryConsume(addressKey(address, deps)),
    canCountAt: (address) => limiter.canConsume(addressKey(address, deps)),
    fields: (res) => rateLimitHeaders(kind, rate, res, policy),
  }
}

/** The middleware of `createRateLimit`. */
export function rateLimit(kind: RateKind, rate: RateLimit, deps: RateLimitDeps): MiddlewareHandler<AppEnv> {
  return createRateLimit(kind, rate, deps).middleware
}

/**
 * Admin sign-in: only failures count. Each attempt takes a point up front (so parallel guesses
 * cannot slip past the limit) and a request that did not fail with 401 gives it back; once
 * `rate.count` failures are spent, even the right password gets `429` until the window ends.
 */
export function loginRateLimit(rate: RateLimit, deps: RateLimitDeps): MiddlewareHandler<AppEnv> {
  const limiter = createLimiter('login', rate, deps.db, true)
  return async function loginRateLimit(c, next) {
    const key = clientKey(c, deps)
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
