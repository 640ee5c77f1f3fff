import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLeasedLimiter } from '../../server/lib/leased-limiter.ts'

/** A shared store that counts its writes: stands for the SQLite table every process shares. */
function sharedStore(points: number, seconds = 60) {
  const store = new RateLimiterMemory({ points, duration: seconds })
  const writes = vi.spyOn(store, 'consume')
  return { store, writes }
}

/** Tries `n` requests one after another; returns how many were allowed and the remaining counts seen. */
async function attempt(consume: (key: string) => Promise<RateLimiterRes>, n: number, key = 'client') {
  const remaining: number[] = []
  let refused = 0
  for (let i = 0; i < n; i++) {
    try {
      remaining.push((await consume(key)).remainingPoints)
    } catch (rejection) {
      expect(rejection).toBeInstanceOf(RateLimiterRes)
      refused++
    }
  }
  return { allowed: remaining.length, refused, remaining }
}

describe('createLeasedLimiter', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('allows exactly the limit in one process and reports what is left after each request', async () => {
    const { store } = sharedStore(25)
    const limiter = createLeasedLimiter(store, 25)
    const { allowed, refused, remaining } = await attempt(limiter.consume, 30)
    expect(allowed).toBe(25)
    expect(refused).toBe(5)
    expect(remaining).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i))
  })

  it('says whether a request could be counted from memory, without counting it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-26T12:00:00Z'))
    const { store } = sharedStore(30, 60)
    const limiter = createLeasedLimiter(store, 30)
    // No lease yet: only the store can count.
    expect(limiter.canConsume('client')).toBe(false)
    expect(limiter.tryConsume('client')).toBeNull()
    // A lease of 3 points: the first is spent by the request that took it, two are left in memory.
    expect((await limiter.consume('client')).remainingPoints).toBe(29)
    for (let i = 0; i < 5; i++) expect(limiter.canConsume('client')).toBe(true)
    expect(limiter.tryConsume('client')!.remainingPoints).toBe(28)
    expect(limiter.canConsume('client')).toBe(true)
    expect(limiter.tryConsume('client')!.remainingPoints).toBe(27)
    expect(limiter.canConsume('client')).toBe(false)
    expect(limiter.tryConsume('client')).toBeNull()
    expect(limiter.canConsume('someone else')).toBe(false)
    // A lease whose window has ended holds nothing.
    await limiter.consume('client')
    expect(limiter.canConsume('client')).toBe(true)
    vi.setSystemTime(new Date('2026-11-26T12:01:01Z'))
    expect(limiter.canConsume('client')).toBe(false)
  })

  it('writes to the shared store once per lease, not once per request', async () => {
    const { store, writes } = sharedStore(1000)
    const limiter = createLeasedLimiter(store, 1000)
    await attempt(limiter.consume, 1000)
    // Leases of 100 points: ten writes for a thousand requests.
    expect(writes).toHaveBeenCalledTimes(10)
  })

  it('refuses from memory once the window is spent, and allows again when it ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-26T12:00:00Z'))
    const { store, writes } = sharedStore(3, 60)
    const limiter = createLeasedLimiter(store, 3)
    expect((await attempt(limiter.consume, 3)).allowed).toBe(3)
    const before = writes.mock.calls.length
    const rejection = await limiter.consume('client').catch((r: unknown) => r)
    expect(rejection).toBeInstanceOf(RateLimiterRes)
    expect((rejection as RateLimiterRes).msBeforeNext).toBeGreaterThan(59_000)
    expect((await attempt(limiter.consume, 5)).allowed).toBe(0)
    expect(writes.mock.calls.length - before).toBeLessThanOrEqual(1)
    vi.setSystemTime(new Date('2026-11-26T12:01:01Z'))
    expect((await attempt(limiter.consume, 4)).allowed).toBe(3)
  })

  it('counts concurrent requests from one client exactly (one lease in flight at a time)', async () => {
    const { store } = sharedStore(30)
    const limiter = createLeasedLimiter(store, 30)
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => limiter.consume('client')))
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(30)
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(20)
  })

  it('never lets two processes sharing the store allow more than the limit together', async () => {
    const { store } = sharedStore(100)
    const a = createLeasedLimiter(store, 100)
    const b = createLeasedLimiter(store, 100)
    let allowed = 0
    for (let i = 0; i < 150; i++) {
      for (const limiter of [a, b]) {
        try {
          await limiter.consume('client')
          allowed++
        } catch {
          // refused
        }
      }
    }
    expect(allowed).toBeLessThanOrEqual(100)
    // What one process leased and did not spend is lost to the other: at most one lease (10 points).
    expect(allowed).toBeGreaterThanOrEqual(90)
  })

  it('keeps clients apart', async () => {
    const { store } = sharedStore(2)
    const limiter = createLeasedLimiter(store, 2)
    expect((await attempt(limiter.consume, 3, 'one')).allowed).toBe(2)
    expect((await attempt(limiter.consume, 3, 'two')).allowed).toBe(2)
  })
})
