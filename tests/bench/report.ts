/** Bench results: their shape, the targets of issue 6, the printed table and the README block. */
import { readFileSync, writeFileSync } from 'node:fs'
import type { LatencyProbe, LoadResult } from './load.ts'

export const README_START = '<!-- bench:start -->'
export const README_END = '<!-- bench:end -->'

/** One loaded route, compared with the ceiling of its method. */
export interface ScenarioResult extends LoadResult {
  name: string
  method: 'GET' | 'POST'
  path: string
  /** Request headers that change the answer (the browser's `Accept-Encoding`), when the scenario sends any. */
  headers?: Record<string, string>
  /** The bare-Hono ceiling of the same method: mean req/s of its runs between this scenario's parts. */
  ceilingRequestsPerSec: number
  /** Each part's req/s divided by the mean of the two ceiling runs around it. */
  roundRatios: number[]
  /** The median of roundRatios. */
  ratio: number
}

/** A GET scenario against the bare stack replaying its own answer (same bytes, same header fields). */
export interface SameAnswerResult {
  scenario: string
  bytes: number
  headerFields: number
  /** The replay's runs, one right after each part of the scenario, averaged. */
  ceiling: LoadResult
  /** Each part's req/s divided by the replay run right after it. */
  roundRatios: number[]
  /** The median of roundRatios. */
  ratio: number
}

/** A POST scenario against the bare POST handler loaded with the same requests (a new token or body each). */
export interface SameRequestsResult {
  scenario: string
  /** The bare handler's runs, one right after each part of the scenario, averaged. */
  ceiling: LoadResult
  /** Each part's req/s divided by the bare handler's run right after it. */
  roundRatios: number[]
  /** The median of roundRatios. */
  ratio: number
}

/** The storage floors of tests/bench/floor.ts, cheapest first. */
export const STORAGE_FLOORS = ['row', 'ballot'] as const
export type StorageFloor = (typeof STORAGE_FLOORS)[number]

const FLOOR_NAMES: Record<StorageFloor, string> = {
  row: 'bare Hono `POST` + one stored row per vote, unique on (poll, voter)',
  ballot: "bare Hono `POST` + voxpop's ballot store (`db/polls.ts`) + the voter HMAC",
}

/** A storage floor loaded with a POST scenario's requests, a run after each part, against the POST ceiling around it. */
export interface StorageFloorResult {
  floor: StorageFloor
  scenario: string
  /** The floor's runs, averaged. */
  load: LoadResult
  /** Each run's req/s divided by the mean of the two ceiling runs around the part it follows. */
  roundRatios: number[]
  /** The median of roundRatios. */
  ratio: number
  /** Answers the floor sent in its runs, and rows it holds afterwards (at least as many: each answer follows a commit). */
  answered: number
  stored: number
}

/** Latency of the same read on a small and a large data set; ratio = large / small (p50). */
export interface GrowthResult {
  what: string
  small: { size: number; probe: LatencyProbe }
  large: { size: number; probe: LatencyProbe }
  ratio: number
}

export interface Target {
  name: string
  goal: string
  value: string
  met: boolean
}

export interface BenchResults {
  generatedAt: string
  machine: { cpus: number; model: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] }
  config: { durationSec: number; connections: number; rounds: number; small: boolean; serverCommand: string }
  seedMs: number
  ceiling: { get: LoadResult; post: LoadResult; getRuns: number[]; postRuns: number[] }
  /** Each GET scenario against the bare stack sending exactly its answer. */
  sameAnswer: SameAnswerResult[]
  /** Each POST scenario against the bare POST handler loaded with exactly its requests. */
  sameRequests: SameRequestsResult[]
  /** The vote scenario's requests stored by bare handlers: what storage alone costs. */
  storageFloors: StorageFloorResult[]
  scenarios: ScenarioResult[]
  growth: GrowthResult[]
  export: { votes: number; rows: number; bytes: number; ms: number; peakRssMb: number; rssBeforeMb: number; status: number }
  /** Spawn → first 200 from /healthz: the bundle (`npm start`), and the TypeScript sources through tsx. */
  startup: { samplesMs: number[]; medianMs: number; sourceSamplesMs: number[]; sourceMedianMs: number }
  targets: Target[]
}

/** The comments-list scenario asked with the headers a browser sends. */
export const BROWSER_LIST = 'comments-list-browser'

/** A scenario's request headers, as written in the tables. */
const asked = (s: ScenarioResult) =>
  Object.entries(s.headers ?? {})
    .map(([name, value]) => `\`${name}: ${value}\``)
    .join(', ')

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const pct = (r: number) => `${fmt(r * 100)} %`

/** Checks the figures against the targets of issue 6. */
export function checkTargets(r: Omit<BenchResults, 'targets'>): Target[] {
  const targets: Target[] = []
  for (const s of r.scenarios) {
    if (s.name === 'poll-read' || s.name === 'comments-list') {
      targets.push({ name: `${s.name} vs GET ceiling`, goal: '≥ 80 %', value: pct(s.ratio), met: s.ratio >= 0.8 })
    }
    if (s.name === BROWSER_LIST) {
      const sent = r.sameAnswer.find((m) => m.scenario === s.name)
      targets.push({
        name: `comments-list as a browser asks (${asked(s)}${sent ? `: the page goes out as ${fmt(sent.bytes)} B` : ''}) vs GET ceiling`,
        goal: '≥ 80 %',
        value: pct(s.ratio),
        met: s.ratio >= 0.8,
      })
    }
    if (s.name === 'poll-vote') targets.push({ name: 'poll-vote vs POST ceiling', goal: '≥ 60 %', value: pct(s.ratio), met: s.ratio >= 0.6 })
  }
  for (const m of r.sameAnswer.filter((m) => m.scenario === 'poll-read' || m.scenario === 'comments-list')) {
    targets.push({
      name: `${m.scenario} vs the bare stack sending the same answer (${fmt(m.bytes)} B, ${m.headerFields} header fields; for reading the line above)`,
      goal: '≥ 80 %',
      value: pct(m.ratio),
      met: m.ratio >= 0.8,
    })
  }
  for (const m of r.sameRequests.filter((m) => m.scenario === 'poll-vote')) {
    targets.push({
      name: `${m.scenario} vs the bare POST handler loaded with the same requests (a new voter token each; for reading the line above)`,
      goal: '≥ 60 %',
      value: pct(m.ratio),
      met: m.ratio >= 0.6,
    })
  }
  const worstP99 = r.scenarios.filter((s) => s.name !== 'comment-post').reduce((m, s) => Math.max(m, s.p99), 0)
  targets.push({ name: `p99 at ${r.config.connections} connections (worst, without comment-post)`, goal: '< 25 ms', value: `${fmt(worstP99)} ms`, met: worstP99 < 25 })
  const post = r.scenarios.find((s) => s.name === 'comment-post')
  if (post) targets.push({ name: 'p99 of comment-post', goal: '< 25 ms', value: `${fmt(post.p99)} ms`, met: post.p99 < 25 })
  for (const g of r.growth) targets.push({ name: `growth: ${g.what}`, goal: '≤ 1.3', value: fmt(g.ratio, 2), met: g.ratio <= 1.3 })
  const e = r.export
  targets.push({ name: `votes.csv of ${fmt(e.votes)} votes: time`, goal: '< 10 s', value: `${fmt(e.ms / 1000, 2)} s`, met: e.status === 200 && e.ms < 10_000 })
  targets.push({ name: `votes.csv of ${fmt(e.votes)} votes: peak server RSS`, goal: '< 200 MB', value: `${fmt(e.peakRssMb)} MB`, met: e.status === 200 && e.peakRssMb < 200 })
  targets.push({ name: 'start-up of dist/server.mjs (spawn → first 200 from /healthz, median)', goal: '< 500 ms', value: `${fmt(r.startup.medianMs)} ms`, met: r.startup.medianMs < 500 })
  return targets
}

/** The results as Markdown: the scenario table, the other measurements, the targets. */
export function toMarkdown(r: BenchResults): string {
  const lines: string[] = []
  lines.push(
    `Measured ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cpus} × ${r.machine.model}, Node ${r.machine.node}; ` +
      `${r.config.durationSec} s per scenario in ${r.config.rounds} parts, each between two runs of the ceiling; ${r.config.connections} connections, autocannon in the same machine ` +
      `(1/5/15-minute load average ${r.machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(' / ')} at start, ` +
      `${r.machine.loadAverageAtEnd.map((l) => l.toFixed(1)).join(' / ')} at the end). Server: \`${r.config.serverCommand}\`.`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | errors | non-2xx | ceiling req/s (runs around its parts) | vs ceiling (median of the parts) | server CPU µs/req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  )
  const row = (name: string, l: LoadResult, ceiling: string, ratio: string) =>
    `| ${name} | ${fmt(l.requestsPerSec)} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${l.errors} | ${l.non2xx} | ${ceiling} | ${ratio} | ${fmt(l.cpuUsPerRequest)} |`
  const runs = (rps: number[]) => `${fmt(Math.min(...rps))}–${fmt(Math.max(...rps))}`
  lines.push(row('ceiling: bare Hono `GET` JSON (mean of its runs)', r.ceiling.get, runs(r.ceiling.getRuns), '100 %'))
  lines.push(row('ceiling: bare Hono `POST` JSON (mean of its runs)', r.ceiling.post, runs(r.ceiling.postRuns), '100 %'))
  for (const s of r.scenarios) {
    const parts = s.roundRatios.length > 1 ? ` (${s.roundRatios.map(pct).join(', ')})` : ''
    const how = s.headers ? `, with ${asked(s)}` : ''
    lines.push(row(`\`${s.method} ${s.path.replace(/\?.*/, '?…')}\` (${s.name}${how})`, s, fmt(s.ceilingRequestsPerSec), `${pct(s.ratio)}${parts}`))
  }
  const ofParts = (ratios: number[]) => (ratios.length > 1 ? ` (${ratios.map(pct).join(', ')})` : '')
  for (const m of r.sameRequests) {
    lines.push(row(`same requests: bare Hono \`POST\` loaded with ${m.scenario}'s requests (a run after each part)`, m.ceiling, '', `${m.scenario}: ${pct(m.ratio)}${ofParts(m.roundRatios)}`))
  }
  for (const f of r.storageFloors) {
    lines.push(row(`storage floor: ${FLOOR_NAMES[f.floor]}, loaded with ${f.scenario}'s requests (a run after each part)`, f.load, '', `${pct(f.ratio)}${ofParts(f.roundRatios)}`))
  }
  for (const m of r.sameAnswer) {
    lines.push(
      row(`same answer: bare Hono replaying ${m.scenario}'s answer (${fmt(m.bytes)} B, ${m.headerFields} header fields; a run after each part)`, m.ceiling, '', `${m.scenario}: ${pct(m.ratio)}${ofParts(m.roundRatios)}`),
    )
  }
  lines.push('', '| measurement | small | large | ratio |', '|---|---:|---:|---:|')
  for (const g of r.growth) {
    lines.push(
      `| ${g.what}, p50 of sequential requests | ${fmt(g.small.probe.p50Us)} µs at ${fmt(g.small.size)} | ${fmt(g.large.probe.p50Us)} µs at ${fmt(g.large.size)} | ${fmt(g.ratio, 2)} |`,
    )
  }
  const e = r.export
  lines.push(
    '',
    `Export: \`votes.csv\` of ${fmt(e.votes)} votes (${fmt(e.rows)} rows, ${fmt(e.bytes / 1e6, 1)} MB) in ${fmt(e.ms / 1000, 2)} s; ` +
      `server RSS ${fmt(e.rssBeforeMb)} MB before, peak ${fmt(e.peakRssMb)} MB. ` +
      `Start-up (spawn → first 200 from \`/healthz\`, with the bench database): \`node dist/server.mjs\` ` +
      `${r.startup.samplesMs.map((s) => `${fmt(s)} ms`).join(', ')} (median ${fmt(r.startup.medianMs)} ms); ` +
      `\`node --import tsx server/main.ts\` ${r.startup.sourceSamplesMs.map((s) => `${fmt(s)} ms`).join(', ')} (median ${fmt(r.startup.sourceMedianMs)} ms).`,
    '',
    '| target | goal | measured | |',
    '|---|---|---:|---|',
  )
  for (const t of r.targets) lines.push(`| ${t.name} | ${t.goal} | ${t.value} | ${t.met ? 'met' : '**missed**'} |`)
  return lines.join('\n')
}

/** Replaces the block between the bench markers in `readmePath`; throws when the markers are missing. */
export function updateReadme(readmePath: string, markdown: string): void {
  const text = readFileSync(readmePath, 'utf8')
  const start = text.indexOf(README_START)
  const end = text.indexOf(README_END)
  if (start < 0 || end < start) throw new Error(`${readmePath} has no ${README_START} … ${README_END} block to replace`)
  writeFileSync(readmePath, `${text.slice(0, start + README_START.length)}\n${markdown}\n${text.slice(end)}`)
}
