import { describe, expect, it } from 'vitest'
import { formatLocal, timeTexts } from '../../server/lib/zoned-time.ts'

// Exports write each row's time twice; timeTexts makes the text up to the minute once per minute.
// It must write exactly what the direct formulas write, in any zone and across offset changes.

const ZONES = ['Asia/Ho_Chi_Minh', 'UTC', 'America/New_York', 'Europe/London', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham']

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
}

describe('timeTexts', () => {
  it('writes what toISOString and formatLocal write, row after row, in every zone', () => {
    const random = lcg(7)
    for (const zone of ZONES) {
      const times = timeTexts(zone)
      // Sorted like an export: neighbours share minutes; a few seconds to minutes apart.
      let ms = Date.UTC(2026, 2, 7, 0, 0, 0, 0)
      for (let i = 0; i < 20_000; i++) {
        ms += Math.floor(random() * (i % 50 === 0 ? 3_600_000 : 4_000))
        expect(times(ms), `${zone} ${ms}`).toEqual([new Date(ms).toISOString(), formatLocal(ms, zone)])
      }
    }
  })

  it('is exact at the edges: a minute, a second, a daylight-saving change, and out of order', () => {
    const times = timeTexts('America/New_York')
    // 2026-03-08 02:00 local is the spring-forward instant (07:00 UTC); 2026-11-01 06:00 UTC falls back.
    const edges = [Date.UTC(2026, 2, 8, 6, 59, 59, 999), Date.UTC(2026, 2, 8, 7, 0, 0, 0), Date.UTC(2026, 10, 1, 5, 59, 59, 999), Date.UTC(2026, 10, 1, 6, 0, 0, 0)]
    for (const ms of [...edges, Date.UTC(2026, 0, 1, 0, 0, 59, 1), Date.UTC(2025, 11, 31, 23, 59, 59, 999), ...edges.reverse()]) {
      expect(times(ms)).toEqual([new Date(ms).toISOString(), formatLocal(ms, 'America/New_York')])
    }
    expect(timeTexts('Asia/Ho_Chi_Minh')(Date.UTC(2026, 10, 26, 17, 5, 9, 7))).toEqual(['2026-11-26T17:05:09.007Z', '2026-11-27 00:05:09'])
  })
})
