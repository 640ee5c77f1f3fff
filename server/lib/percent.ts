/**
 * Integer percentages that add up to exactly 100 (largest-remainder method);
 * all zeros when nothing was counted. Ties on the remainder go to the earlier option.
 */
export function percentages(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0)
  if (total === 0) return counts.map(() => 0)
  const floors = counts.map((n) => Math.floor((n * 100) / total))
  let left = 100 - floors.reduce((a, b) => a + b, 0)
  const order = counts
    .map((n, i) => ({ i, rem: (n * 100) % total }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i)
  for (const { i } of order) {
    if (left === 0) break
    floors[i]!++
    left--
  }
  return floors
}
