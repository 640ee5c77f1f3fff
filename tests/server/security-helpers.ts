import { vi } from 'vitest'
import { T0, type Clock } from './helpers.ts'

/**
 * A fake clock that also moves `Date.now()`: the rate limiter (rate-limiter-flexible) reads the
 * system time, the app reads `deps.now`; both follow this one. Only `Date` is faked, so
 * setImmediate (the vote batcher) and real I/O keep working. Undo with `vi.useRealTimers()`.
 */
export function fakeSystemClock(start = T0): Clock {
  vi.useFakeTimers({ toFake: ['Date'], now: start })
  return {
    now: () => Date.now(),
    set: (ms: number) => vi.setSystemTime(ms),
    advance: (ms: number) => vi.setSystemTime(Date.now() + ms),
  }
}

/** The items of a structured-field list header, e.g. `"vote";r=2;t=60, "global";r=9;t=60`. */
export function headerItems(res: Response, name: string): string[] {
  const value = res.headers.get(name)
  return value === null ? [] : value.split(',').map((s) => s.trim())
}

/** Limits high enough that a test sending many requests from one address is never throttled. */
export const NO_LIMITS: NodeJS.ProcessEnv = {
  VOXPOP_RATE_VOTE: '1000000/60s',
  VOXPOP_RATE_COMMENT: '1000000/60s',
  VOXPOP_RATE_LIKE: '1000000/60s',
  VOXPOP_RATE_LOGIN: '1000000/60s',
  VOXPOP_RATE_GLOBAL: '1000000/60s',
}
