/**
 * `npm run bench [-- --duration 10 --connections 50 --rounds 3 --small --no-readme --out FILE --profile DIR --wait-idle N]`
 *
 * Seeds a fresh file database, starts the real server and a bare Hono ceiling as separate
 * processes on 127.0.0.1, loads each scenario with autocannon, measures growth, the CSV export
 * and start-up, then prints a table and writes the JSON results (and the README block).
 * Environment equivalents: BENCH_DURATION, BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_SMALL=1, BENCH_NO_README=1, BENCH_OUT.
 * `--wait-idle 1.5` first waits (up to 10 min) for the 1-minute load average to drop below 1.5.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { captureAnswer, probeLatency, runLoad, type LoadOptions, type LoadResult } from './load.ts'
import { cpuMs, peakRss, spawnServer, type Spawned } from './processes.ts'
import { buildServer, precompressAssets, SERVER_BUNDLE } from '../../server/build.ts'
import { BROWSER_LIST, checkTargets, toMarkdown, updateReadme, type BenchResults, type GrowthResult, type SameAnswerResult, type SameRequestsResult, type ScenarioResult, type StorageFloor, type StorageFloorResult, STORAGE_FLOORS } from './report.ts'
import { IDS, seedDatabase, type SeedSizes } from './seed.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    connections: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    small: { type: 'boolean' },
    'no-readme': { type: 'boolean' },
    out: { type: 'string' },
    profile: { type: 'string' },
    'wait-idle': { type: 'string' },
  },
})
const env = process.env
const small = flags.small ?? env.BENCH_SMALL === '1'
const durationSec = Number(flags.duration ?? env.BENCH_DURATION ?? 10)
const connections = Number(flags.connections ?? env.BENCH_CONNECTIONS ?? 50)
const warmupSec = Number(flags.warmup ?? env.BENCH_WARMUP ?? Math.min(2, durationSec / 4))
/** Each scenario's time is split into this many runs, each between two runs of the ceiling. */
const rounds = Number(flags.rounds ?? env.BENCH_ROUNDS ?? 3)
const writeReadme = !(flags['no-readme'] ?? env.BENCH_NO_README === '1')
const outPath = flags.out ?? env.BENCH_OUT ?? join(root, 'tests/bench/results/latest.json')
if (!(durationSec > 0) || !(connections >= 1) || !Number.isInteger(rounds) || rounds < 1) {
  throw new Error('bench: --duration, --connections and --rounds must be positive numbers (--rounds a whole one)')
}

const sizes: SeedSizes = small
  ? { smallPollVotes: 1000, bigPollVotes: 10_000, smallThreadComments: 100, bigThreadComments: 1000, listThreadComments: 200, countKeys: 20 }
  : { smallPollVotes: 1000, bigPollVotes: 1_000_000, smallThreadComments: 100, bigThreadComments: 100_000, listThreadComments: 200, countKeys: 20 }
const PROBE_ROUNDS = small ? 200 : 3000
const STARTUP_SAMPLES = small ? 1 : 3
const ADMIN_PASSWORD = 'bench-admin-password'
const UNLIMITED = '100000000/1s'
const profileArgs = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}`] : []
/** What `npm start` runs (the bundle `npm run build` makes), and the TypeScript sources the tests run. */
const BUNDLE_ARGS = [SERVER_BUNDLE]
const SOURCE_ARGS = ['--import', 'tsx', 'server/main.ts']

const log = (message: string) => console.log(`bench: ${message}`)
const voter = () => randomBytes(16).toString('base64url')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init)
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** Loads a route (after warming it up, unless `warm` is false); also notes the target's CPU time per answered request. */
async function measure(target: Spawned, options: Omit<LoadOptions, 'url' | 'connections' | 'durationSec'>, seconds = durationSec, warm = true): Promise<LoadResult> {
  if (warm && warmupSec > 0) await runLoad({ ...options, url: target.url, connections, durationSec: warmupSec })
  const cpuBefore = cpuMs(target.pid)
  const result = await runLoad({ ...options, url: target.url, connections, durationSec: seconds })
  return { ...result, cpuUsPerRequest: ((cpuMs(target.pid) - cpuBefore) * 1000) / Math.max(1, result.requests) }
}

const mean = (runs: LoadResult[], of: (r: LoadResult) => number) => runs.reduce((sum, r) => sum + of(r), 0) / runs.length
const sum = (runs: LoadResult[], of: (r: LoadResult) => number) => runs.reduce((total, r) => total + of(r), 0)
const averaged = (runs: LoadResult[]): LoadResult => ({
  ...runs[0]!,
  requestsPerSec: mean(runs, (r) => r.requestsPerSec),
  p50: mean(runs, (r) => r.p50),
  p99: mean(runs, (r) => r.p99),
  meanLatency: mean(runs, (r) => r.meanLatency),
  cpuUsPerRequest: mean(runs, (r) => r.cpuUsPerRequest),
  requests: sum(runs, (r) => r.requests),
  errors: sum(runs, (r) => r.errors),
  non2xx: sum(runs, (r) => r.non2xx),
})

/** Waits (up to 10 minutes) for the machine's 1-minute load average to fall below `threshold`. */
async function waitIdle(threshold: number) {
  const deadline = Date.now() + 600_000
  while (loadavg()[0]! >= threshold && Date.now() < deadline) {
    log(`waiting for a quieter machine (load ${loadavg()[0]!.toFixed(1)} ≥ ${threshold})…`)
    await new Promise((r) => setTimeout(r, 15_000))
  }
}

async function main() {
  if (flags['wait-idle']) await waitIdle(Number(flags['wait-idle']))
  await buildServer()
  precompressAssets()
  const work = mkdtempSync(join(tmpdir(), 'voxpop-bench-'))
  const dbPath = join(work, 'bench.sqlite')
  const loadAverageAtStart = loadavg()
  log(`seeding ${dbPath} (${sizes.bigPollVotes.toLocaleString('en-US')} votes, ${sizes.bigThreadComments.toLocaleString('en-US')} comments)…`)
  const seedMs = seedDatabase(dbPath, sizes)
  log(`seeded in ${(seedMs / 1000).toFixed(1)} s`)

  const serverEnv = {
    VOXPOP_DB: dbPath,
    VOXPOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    VOXPOP_SECRET: 'bench-secret-0123456789abcdef',
    VOXPOP_MODERATION: 'post',
    VOXPOP_RATE_VOTE: UNLIMITED,
    VOXPOP_RATE_COMMENT: UNLIMITED,
    VOXPOP_RATE_LIKE: UNLIMITED,
    VOXPOP_RATE_LOGIN: UNLIMITED,
    VOXPOP_RATE_GLOBAL: UNLIMITED,
  }
  const processes: Spawned[] = []
  try {
    const server = await spawnServer({ args: [...profileArgs, ...BUNDLE_ARGS], env: serverEnv, readyPath: '/healthz' })
    processes.push(server)
    const ceiling = await spawnServer({ args: ['--import', 'tsx', 'tests/bench/ceiling.ts'], readyPath: '/json' })
    processes.push(ceiling)
    const floor = await spawnServer({ args: ['--import', 'tsx', 'tests/bench/floor.ts'], env: { FLOOR_DIR: work }, readyPath: '/stored' })
    processes.push(floor)
    log(`server ${server.url} (pid ${server.pid}, first 200 after ${server.startupMs.toFixed(0)} ms), ceiling ${ceiling.url}`)

    const poll = await json<{ options: { id: string }[] }>(`${server.url}/api/polls/${IDS.livePoll}`)
    const { formToken } = await json<{ formToken: string; total: number }>(`${server.url}/api/comments?page=${IDS.postThread}`)
    const formTokenAt = Date.now()
    const listed = await json<{ total: number }>(`${server.url}/api/comments?page=${IDS.listThread}`)
    if (listed.total !== sizes.listThreadComments) throw new Error(`the list thread shows ${listed.total} comments, seeded ${sizes.listThreadComments}`)

    // Each scenario runs in `rounds` parts, each between two runs of the ceiling of its method
    // (C S C S C S C), and its ratio is the median of the parts' ratios to the mean of the two
    // ceiling runs around each: the speed of this shared machine drifts by tens of percent within
    // a few minutes, so a ceiling measured once, or even once before and once after, misleads.
    const half = durationSec / 2
    const ceilingGet = (seconds: number, warm?: boolean, headers?: Record<string, string>) => measure(ceiling, { path: '/json', headers }, seconds, warm)
    const ceilingPost = (seconds: number, warm?: boolean) =>
      measure(ceiling, { method: 'POST', path: '/json', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ options: ['a1'] }) }, seconds, warm)
    const getRuns: LoadResult[] = []
    const postRuns: LoadResult[] = []

    const countsQuery = Array.from({ length: sizes.countKeys }, (_, i) => `page=${IDS.countKey(i)}`).join('&')
    let posted = 0
    const scenarios: ScenarioResult[] = []
    /**
     * Runs a scenario in `rounds` parts, C S C S … C with the ceiling of its method. With
     * `companions` (the bare app sending the scenario's own answer, or loaded with its own
     * requests, or a storage floor), each part is followed at once by a run of each companion of
     * the same length, so each part has its comparisons in the same minute: C S R C S R … C.
     */
    const scenario = async (
      name: string,
      method: 'GET' | 'POST',
      options: Omit<LoadOptions, 'url' | 'connections' | 'durationSec'>,
      companions: ((seconds: number) => Promise<LoadResult>)[] = [],
    ) => {
      log(`${name}…`)
      // The ceiling runs around a scenario get the scenario's headers too (what the client sends costs it the same).
      const bracket = method === 'GET' ? (seconds: number, warm?: boolean) => ceilingGet(seconds, warm, options.headers) : ceilingPost
      const runs = method === 'GET' ? getRuns : postRuns
      const ceilings = [await bracket(half / rounds)]
      const parts: LoadResult[] = []
      const roundRatios: number[] = []
      const companionRuns: LoadResult[][] = companions.map(() => [])
      /** The mean req/s of the two ceiling runs around part `i`. */
      const around = (i: number) => (ceilings[i]!.requestsPerSec + ceilings[i + 1]!.requestsPerSec) / 2
      for (let i = 0; i < rounds; i++) {
        parts.push(await measure(server, { ...options, method }, durationSec / rounds, i === 0))
        for (const [k, companion] of companions.entries()) companionRuns[k]!.push(await companion(durationSec / rounds))
        ceilings.push(await bracket(half / rounds, false))
        roundRatios.push(parts[i]!.requestsPerSec / around(i))
      }
      runs.push(...ceilings)
      const result = averaged(parts)
      const ceilingRequestsPerSec = mean(ceilings, (r) => r.requestsPerSec)
      const headers = method === 'GET' ? options.headers : undefined
      scenarios.push({ name, method, path: options.path, headers, ...result, ceilingRequestsPerSec, roundRatios, ratio: median(roundRatios) })
      /** A companion's runs against the scenario's parts (part ÷ run), or against the ceiling runs around them (run ÷ ceiling). */
      const compare = (k: number, against: 'part' | 'ceiling') => {
        const ratios = companionRuns[k]!.map((run, i) => (against === 'part' ? parts[i]!.requestsPerSec / run.requestsPerSec : run.requestsPerSec / around(i)))
        return { runs: companionRuns[k]!, ceiling: averaged(companionRuns[k]!), roundRatios: ratios, ratio: median(ratios) }
      }
      return compare
    }
    // Each GET scenario is also compared with the bare stack replaying the scenario's own answer
    // (same bytes, same header fields), part by part: the server's own share of the gap.
    const sameAnswer: SameAnswerResult[] = []
    const getScenario = async (name: string, path: string, headers?: Record<string, string>) => {
      const answer = await captureAnswer(server.url + path, headers)
      await fetch(`${ceiling.url}/replay/${name}`, { method: 'PUT', body: JSON.stringify(answer) })
      const replay = (seconds: number) => measure(ceiling, { path: `/replay/${name}`, headers }, seconds, false)
      const { ceiling: replayed, roundRatios, ratio } = (await scenario(name, 'GET', { path, headers }, [replay]))(0, 'part')
      sameAnswer.push({ scenario: name, bytes: Buffer.from(answer.body, 'base64').byteLength, headerFields: Object.keys(answer.headers).length, ceiling: replayed, roundRatios, ratio })
    }
    await getScenario('poll-read', `/api/polls/${IDS.livePoll}`)
    await getScenario('comments-list', `/api/comments?page=${IDS.listThread}`)
    // The same list as a reader's browser asks for it: every browser sends Accept-Encoding, and a
    // first page of comments is big enough to go out compressed (autocannon alone sends none).
    await getScenario(BROWSER_LIST, `/api/comments?page=${IDS.listThread}`, { 'accept-encoding': 'gzip, deflate, br, zstd' })
    await getScenario('counts', `/api/counts?${countsQuery}`)
    await getScenario('embed-js', '/embed.js')
    // Each POST scenario makes every request unique (a new voter token, a new comment), and
    // autocannon then rebuilds each request, which costs the load generator — on the same two
    // cores — more than a fixed request does. So each is also compared, part by part, with the
    // bare POST handler loaded with the same requests (headers and bodies).
    const sameRequests: SameRequestsResult[] = []
    const storageFloors: StorageFloorResult[] = []
    const postScenario = async (name: string, options: Omit<LoadOptions, 'url' | 'connections' | 'durationSec'>, floors: readonly StorageFloor[] = []) => {
      const loaded = (seconds: number) => measure(ceiling, { ...options, method: 'POST', path: '/json' }, seconds, false)
      const onFloor = (f: StorageFloor) => (seconds: number) => measure(floor, { ...options, method: 'POST', path: `/${f}` }, seconds, false)
      // Warmed up like the server before its first part (their warm-up votes are stored too).
      for (const f of floors) if (warmupSec > 0) await runLoad({ ...options, method: 'POST', path: `/${f}`, url: floor.url, connections, durationSec: warmupSec })
      const compare = await scenario(name, 'POST', options, [loaded, ...floors.map(onFloor)])
      const { ceiling: bare, roundRatios, ratio } = compare(0, 'part')
      sameRequests.push({ scenario: name, ceiling: bare, roundRatios, ratio })
      floors.forEach((f, k) => {
        const { runs, ceiling: load, roundRatios, ratio } = compare(k + 1, 'ceiling')
        storageFloors.push({ floor: f, scenario: name, load, roundRatios, ratio, answered: sum(runs, (r) => r.requests), stored: 0 })
      })
    }
    const voteBody = JSON.stringify({ options: [poll.options[0]!.id] })
    // The votes are also sent to the storage floors (tests/bench/floor.ts), which answer as the
    // bare POST handler does once they have stored the vote: what storage alone costs, in the same minutes.
    await postScenario(
      'poll-vote',
      {
        path: `/api/polls/${IDS.livePoll}/votes`,
        headers: { 'content-type': 'application/json' },
        body: voteBody,
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-voxpop-voter': voter() } }),
      },
      STORAGE_FLOORS,
    )
    const held = await json<Record<StorageFloor, number>>(`${floor.url}/stored`)
    for (const f of storageFloors) {
      f.stored = held[f.floor]
      if (f.stored < f.answered) throw new Error(`the ${f.floor} floor answered ${f.answered} votes but holds ${f.stored}`)
    }
    // A form token younger than 3 s marks a comment as spam; wait so these count as real comments.
    await new Promise((r) => setTimeout(r, Math.max(0, 3500 - (Date.now() - formTokenAt))))
    await postScenario('comment-post', {
      path: '/api/comments',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, 'x-voxpop-voter': voter() },
        body: JSON.stringify({ page: IDS.postThread, author: 'Bench', body: `Ý kiến số ${++posted}: đồng ý với bài viết.`, formToken }),
      }),
    })

    const ceilingResult = { get: averaged(getRuns), post: averaged(postRuns) }

    log('growth…')
    const growth: GrowthResult[] = []
    const pair = async (what: string, smallPath: string, largePath: string, smallSize: number, largeSize: number) => {
      const [s, l] = await probeLatency([server.url + smallPath, server.url + largePath], PROBE_ROUNDS)
      growth.push({ what, small: { size: smallSize, probe: s! }, large: { size: largeSize, probe: l! }, ratio: l!.p50Us / s!.p50Us })
    }
    await pair('poll results read, votes', `/api/polls/${IDS.smallPoll}`, `/api/polls/${IDS.bigPoll}`, sizes.smallPollVotes, sizes.bigPollVotes)
    await pair(
      'comments first page, comments in thread',
      `/api/comments?page=${IDS.smallThread}`,
      `/api/comments?page=${IDS.bigThread}`,
      sizes.smallThreadComments,
      sizes.bigThreadComments,
    )

    log('export…')
    const { token } = await json<{ token: string }>(`${server.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: ADMIN_PASSWORD }),
    })
    const exported = await peakRss(server.pid, async () => {
      const started = performance.now()
      const res = await fetch(`${server.url}/api/admin/polls/${IDS.bigPoll}/votes.csv`, { headers: { authorization: `Bearer ${token}` } })
      let bytes = 0
      let newlines = 0
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++
      }
      return { status: res.status, bytes, rows: Math.max(0, newlines - 1), ms: performance.now() - started }
    })

    await server.stop()
    processes.splice(processes.indexOf(server), 1)
    const startup = async (args: string[]) => {
      const again = await spawnServer({ args, env: serverEnv, readyPath: '/healthz' })
      await again.stop()
      return again.startupMs
    }
    const startups = [server.startupMs]
    const sourceStartups: number[] = []
    for (let i = 0; i < STARTUP_SAMPLES; i++) {
      if (startups.length < STARTUP_SAMPLES) startups.push(await startup(BUNDLE_ARGS))
      sourceStartups.push(await startup(SOURCE_ARGS))
    }

    const partial: Omit<BenchResults, 'targets'> = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, loadAverageAtStart, loadAverageAtEnd: loadavg() },
      config: { durationSec, connections, rounds, small, serverCommand: `node ${[...profileArgs, 'dist/server.mjs'].join(' ')}` },
      seedMs,
      ceiling: { ...ceilingResult, getRuns: getRuns.map((r) => r.requestsPerSec), postRuns: postRuns.map((r) => r.requestsPerSec) },
      scenarios,
      sameAnswer,
      sameRequests,
      storageFloors,
      growth,
      export: { votes: sizes.bigPollVotes, rssBeforeMb: exported.beforeMb, peakRssMb: exported.peakMb, ...exported.result },
      startup: {
        samplesMs: startups,
        medianMs: median(startups),
        sourceSamplesMs: sourceStartups,
        sourceMedianMs: median(sourceStartups),
      },
    }
    const results: BenchResults = { ...partial, targets: checkTargets(partial) }
    const markdown = toMarkdown(results)
    console.log(`\n${markdown}\n`)
    mkdirSync(dirname(outPath), { recursive: true })
    writeFileSync(outPath, `${JSON.stringify(results, null, 2)}\n`)
    log(`wrote ${outPath}`)
    if (writeReadme) {
      updateReadme(join(root, 'README.md'), markdown)
      log('updated README.md')
    }
  } finally {
    await Promise.all(processes.map((p) => p.stop()))
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
