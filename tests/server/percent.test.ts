import { describe, expect, it } from 'vitest'
import { percentages } from '../../server/lib/percent.ts'

/** A small seeded generator (mulberry32), so a failing case can be replayed from its seed. */
function seeded(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('percentages()', () => {
  it('gives 34/33/33 for three equal counts, the extra point to the first', () => {
    expect(percentages([1, 1, 1])).toEqual([34, 33, 33])
    expect(percentages([5, 5, 5])).toEqual([34, 33, 33])
  })

  it('gives the extra points to the largest remainders, not the largest counts', () => {
    // 2/7 = 28.57…, 1/7 = 14.28…: remainders .57 then .28 win the two spare points.
    expect(percentages([2, 1, 1, 1, 1, 1])).toEqual([29, 15, 14, 14, 14, 14])
    // 1/3 = 33.3…, 2/3 = 66.6…: the second has the larger remainder.
    expect(percentages([1, 2])).toEqual([33, 67])
    // 47.6…, 47.6…, 4.76…: the small option's .76 beats the big ones' .62 for the first spare point.
    expect(percentages([10, 10, 1])).toEqual([48, 47, 5])
  })

  it('is exact when the shares already are', () => {
    expect(percentages([1, 1, 2])).toEqual([25, 25, 50])
    expect(percentages([0, 7, 0])).toEqual([0, 100, 0])
  })

  it('is all zeros when nothing was counted', () => {
    expect(percentages([0, 0, 0])).toEqual([0, 0, 0])
    expect(percentages([])).toEqual([])
  })

  it('adds up to exactly 100, each within one point of the true share, for 5000 random splits', () => {
    const seed = 20250601
    const random = seeded(seed)
    const wrong: string[] = []
    for (let run = 0; run < 5000; run++) {
      const size = 1 + Math.floor(random() * 20)
      const big = random() < 0.2
      const counts = Array.from({ length: size }, () => Math.floor(random() * (big ? 10_000_000 : 12)))
      const total = counts.reduce((a, b) => a + b, 0)
      const result = percentages(counts)
      const sum = result.reduce((a, b) => a + b, 0)
      const fair = result.every((p, i) => {
        const exact = total === 0 ? 0 : (counts[i]! * 100) / total
        return Number.isInteger(p) && (p === Math.floor(exact) || p === Math.ceil(exact)) && (counts[i] !== 0 || p === 0)
      })
      // Collected rather than asserted one by one: thousands of expect() calls are slow on a busy machine.
      if (result.length !== size || sum !== (total === 0 ? 0 : 100) || !fair) {
        wrong.push(`seed ${seed}, run ${run}: ${JSON.stringify(counts)} → ${JSON.stringify(result)}`)
      }
    }
    expect(wrong).toEqual([])
  })
})
