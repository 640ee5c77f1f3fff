import { RateLimiterRes, type RateLimiterAbstract } from './rate-limiter-flexible.ts'

/** A lease is at most this share of a limit, so one process never holds more than a tenth of a client's budget unused. */
const LEASE_SHARE = 10
/** Expired leases are dropped from memory once per this many calls. */
const SWEEP_EVERY = 1000

interface Lease {
  /** Points this process took from the shared store and has not spent yet. */
  left: number
  /** What the shared store had left for this key after the lease was taken. */
  storeRemaining: number
  /** When the store's window for this key ends (epoch ms). */
  resetAt: number
}

/** A limiter that answers from memory: `consume(key)` resolves with what is left, or rejects with a `RateLimiterRes`. */
export interface LeasedLimiter {
  consume(key: string): Promise<RateLimiterRes>
  /** Counts a request from memory if this process holds points for `key`; null (nothing counted) when it would need the store. */
  tryConsume(key: string): RateLimiterRes | null
  /** Whether `tryConsume(key)` would count now, without counting. */
  canConsume(key: string): boolean
}

/**
 * Counts requests against a shared `rate-limiter-flexible` store in leases instead of one write
 * per request: a process takes up to a tenth of a client's limit from the store at once and spends
 * it from memory. No client ever gets more than the limit across all processes, and one process
 * alone counts exactly (it knows what the store has left, so its last lease is never larger than
 * that). The price: points one process leased and did not spend are not usable by another
 * process (or by a restart) until the window ends — at most a tenth of the limit per process.
 * `onStoreWrite` runs after each lease taken from the store (e.g. to sweep it now and then).
 */
export function createLeasedLimiter(store: RateLimiterAbstract, points: number, onStoreWrite?: () => void): LeasedLimiter {
  const size = Math.max(1, Math.floor(points / LEASE_SHARE))
  const leases = new Map<string, Lease>()
  let sinceSweep = 0

  function sweep(now: number) {
    if (++sinceSweep < SWEEP_EVERY) return
    sinceSweep = 0
    for (const [key, lease] of leases) if (lease.resetAt <= now) leases.delete(key)
  }

  /** Remembers a refusal so the rest of the window is refused from memory. */
  function refused(key: string, now: number, rejection: unknown): never {
    if (rejection instanceof RateLimiterRes) leases.set(key, { left: 0, storeRemaining: 0, resetAt: now + rejection.msBeforeNext })
    throw rejection
  }

  async function lease(key: string, want: number, now: number): Promise<RateLimiterRes> {
    let res: RateLimiterRes
    try {
      res = await store.consume(key, want)
    } catch (rejection) {
      // Another process may have spent part of what this one believed was left: give the lease
      // back and take a single point, so the last points of a window are still usable.
      if (!(rejection instanceof RateLimiterRes) || want === 1) refused(key, now, rejection)
      await store.reward(key, want)
      want = 1
      try {
        res = await store.consume(key, 1)
      } catch (again) {
        refused(key, now, again)
      }
    }
    onStoreWrite?.()
    leases.set(key, { left: want - 1, storeRemaining: res.remainingPoints, resetAt: now + res.msBeforeNext })
    return new RateLimiterRes(want - 1 + res.remainingPoints, res.msBeforeNext)
  }

  /** One lease at a time per key: requests arriving meanwhile wait for it instead of leasing too. */
  const inFlight = new Map<string, Promise<unknown>>()

  function consume(key: string): Promise<RateLimiterRes> {
    const waiting = inFlight.get(key)
    if (waiting) return waiting.then(() => consume(key), () => consume(key))
    const now = Date.now()
    const counted = tryConsume(key)
    if (counted) return Promise.resolve(counted)
    const held = leases.get(key)
    // Nothing left here, and nothing left in the store either: refused until the window ends.
    if (held && held.resetAt > now && held.storeRemaining <= 0) return Promise.reject(new RateLimiterRes(0, held.resetAt - now))
    const taking = lease(key, held && held.resetAt > now ? Math.min(size, held.storeRemaining) : size, now)
    inFlight.set(key, taking)
    return taking.finally(() => inFlight.delete(key))
  }

  /** The lease of `key` when it holds a point to spend now. */
  function spendable(key: string, now: number): Lease | null {
    const held = leases.get(key)
    return !held || held.left <= 0 || held.resetAt <= now || inFlight.has(key) ? null : held
  }

  function tryConsume(key: string): RateLimiterRes | null {
    const now = Date.now()
    sweep(now)
    const held = spendable(key, now)
    if (!held) return null
    held.left--
    return new RateLimiterRes(held.left + held.storeRemaining, held.resetAt - now)
  }

  return { consume, tryConsume, canConsume: (key) => spendable(key, Date.now()) !== null }
}
