import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { README_END, README_START, type BenchResults } from '../bench/report.ts'

const run = promisify(execFile)

/** The bench block of README.md (other sections may change while the test runs). */
const benchBlock = () => {
  const text = readFileSync('README.md', 'utf8')
  return text.slice(text.indexOf(README_START), text.indexOf(README_END))
}

const SCENARIOS = ['poll-read', 'comments-list', 'comments-list-browser', 'counts', 'embed-js', 'poll-vote', 'comment-post']

describe('npm run bench', () => {
  it('runs end to end on a tiny configuration and reports every scenario, without touching README.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxpop-bench-test-'))
    const out = join(dir, 'results.json')
    const readme = benchBlock()
    try {
      await run(
        process.execPath,
        ['--import', 'tsx', 'tests/bench/run.ts', '--duration', '1', '--rounds', '2', '--connections', '5', '--warmup', '0.2', '--small', '--no-readme', '--out', out],
        { timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      )
      const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults
      expect(results.scenarios.map((s) => s.name)).toEqual(SCENARIOS)
      for (const load of [results.ceiling.get, results.ceiling.post, ...results.scenarios]) {
        expect(load.requestsPerSec).toBeGreaterThan(0)
        expect({ errors: load.errors, non2xx: load.non2xx }).toEqual({ errors: 0, non2xx: 0 })
        expect(load.p99).toBeGreaterThanOrEqual(load.p50)
      }
      // Every scenario runs in two parts between three runs of the ceiling (C S C S C); its ratio
      // is the upper median of the parts' ratios, which lie around the overall one.
      expect(results.config.rounds).toBe(2)
      for (const s of results.scenarios) {
        expect(s.ceilingRequestsPerSec).toBeGreaterThan(0)
        expect(s.roundRatios).toHaveLength(2)
        expect(s.roundRatios.every((r) => r > 0)).toBe(true)
        expect(s.ratio).toBe(Math.max(...s.roundRatios))
      }
      expect(results.ceiling.getRuns.length + results.ceiling.postRuns.length).toBe(3 * SCENARIOS.length)
      // Every GET scenario is also compared with the bare stack replaying its answer, and every
      // POST scenario with the bare POST handler loaded with its requests: a run after each part.
      for (const m of [...results.sameAnswer, ...results.sameRequests]) {
        expect(m.roundRatios).toHaveLength(2)
        expect(m.roundRatios.every((r) => r > 0)).toBe(true)
        expect(m.ratio).toBe(Math.max(...m.roundRatios))
      }
      expect(results.sameAnswer.map((m) => m.scenario)).toEqual(['poll-read', 'comments-list', 'comments-list-browser', 'counts', 'embed-js'])
      for (const m of results.sameAnswer) {
        expect(m.ceiling.requestsPerSec).toBeGreaterThan(0)
        expect({ errors: m.ceiling.errors, non2xx: m.ceiling.non2xx }).toEqual({ errors: 0, non2xx: 0 })
        expect(m.headerFields).toBeGreaterThanOrEqual(5)
      }
      const plain = results.sameAnswer.find((m) => m.scenario === 'comments-list')!
      expect(plain.bytes).toBeGreaterThan(1000)
      // The list as a browser asks for it (Accept-Encoding) goes out compressed: fewer bytes, same page.
      const browser = results.sameAnswer.find((m) => m.scenario === 'comments-list-browser')!
      expect(results.scenarios.find((s) => s.name === 'comments-list-browser')!.headers).toEqual({ 'accept-encoding': 'gzip, deflate, br, zstd' })
      expect(browser.bytes).toBeLessThan(plain.bytes / 2)
      expect(results.targets.some((t) => t.name.startsWith('comments-list as a browser asks'))).toBe(true)
      // …and every POST scenario with the bare POST handler loaded with the same requests.
      expect(results.sameRequests.map((m) => m.scenario)).toEqual(['poll-vote', 'comment-post'])
      for (const m of results.sameRequests) {
        expect(m.ceiling.requestsPerSec).toBeGreaterThan(0)
        expect({ errors: m.ceiling.errors, non2xx: m.ceiling.non2xx }).toEqual({ errors: 0, non2xx: 0 })
      }
      // The vote scenario's requests also went to the storage floors, which stored every vote they answered.
      expect(results.storageFloors.map((f) => [f.floor, f.scenario])).toEqual([
        ['row', 'poll-vote'],
        ['ballot', 'poll-vote'],
      ])
      for (const f of results.storageFloors) {
        expect(f.roundRatios).toHaveLength(2)
        expect(f.roundRatios.every((r) => r > 0)).toBe(true)
        expect(f.ratio).toBe(Math.max(...f.roundRatios))
        expect({ errors: f.load.errors, non2xx: f.load.non2xx }).toEqual({ errors: 0, non2xx: 0 })
        expect(f.answered).toBeGreaterThan(0)
        expect(f.stored).toBeGreaterThanOrEqual(f.answered)
      }
      expect(results.growth.map((g) => g.ratio).every((r) => r > 0)).toBe(true)
      expect(results.growth).toHaveLength(2)
      expect(results.export).toMatchObject({ status: 200, rows: results.export.votes })
      expect(results.export.peakRssMb).toBeGreaterThan(0)
      expect(results.startup.samplesMs.every((ms) => ms > 0)).toBe(true)
      expect(results.targets.length).toBeGreaterThan(5)
      expect(benchBlock()).toBe(readme)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
