import { QUARTER_MS, type QuarterCount } from '../db/stats.ts'
import type { TimelineBucket, TimelineUnit } from '../types.ts'
import { startOfLocal } from './zoned-time.ts'

const HOUR_MS = 3_600_000

/** Most buckets one chart gets: older ones are left out (the CSV has every ballot). */
export const MAX_BUCKETS = 400

/** Hours for a window of up to three days, days beyond. */
export function chooseUnit(from: number, to: number): TimelineUnit {
  return to - from <= 72 * HOUR_MS ? 'hour' : 'day'
}

/**
 * Sums quarter-hour counts into local hours or days of `timeZone`, every bucket from the one
 * holding `from` to the one holding `to` included (zeros where nothing happened), at most the
 * last `max` of them.
 */
export function buildTimeline(
  quarters: QuarterCount[],
  unit: TimelineUnit,
  from: number,
  to: number,
  timeZone: string,
  max = MAX_BUCKETS,
): TimelineBucket[] {
  if (from > to) return []
  // A local day lasts 23 to 25 hours: 25 hours from its start always lands in the next one.
  const step = unit === 'hour' ? HOUR_MS : 25 * HOUR_MS
  const last = startOfLocal(unit, to, timeZone)
  const earliest = Math.max(from, to - (max + 1) * step)
  const starts: number[] = []
  for (let s = startOfLocal(unit, earliest, timeZone); s <= last; ) {
    starts.push(s)
    const next = startOfLocal(unit, s + step, timeZone)
    s = next > s ? next : s + step
  }
  while (starts.length > max) starts.shift()
  const counted = new Array<number>(starts.length).fill(0)
  const flagged = new Array<number>(starts.length).fill(0)
  for (const q of quarters) {
    const at = q.quarter * QUARTER_MS
    if (starts.length === 0 || at < starts[0]!) continue
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= at) lo = mid
      else hi = mid - 1
    }
    counted[lo]! += q.counted
    flagged[lo]! += q.flagged
  }
  return starts.map((s, i) => ({ start: new Date(s).toISOString(), counted: counted[i]!, flagged: flagged[i]! }))
}
