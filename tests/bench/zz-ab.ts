import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { runLoad } from './load.ts'
import { cpuMs, spawnServer, type Spawned } from './processes.ts'
import { IDS, seedDatabase } from './seed.ts'
const [, , which = 'poll-read', dur = '5', rounds = '3', targetsArg = 'ceiling,full,nolimit'] = process.argv
const work = mkdtempSync(join(tmpdir(), 'vp-ab-'))
const dbPath = join(work, 'b.sqlite')
seedDatabase(dbPath, { smallPollVotes: 1000, bigPollVotes: 10000, smallThreadComments: 100, bigThreadComments: 1000, listThreadComments: 200, countKeys: 20 })
const U = '100000000/1s'
const env = { VOXPOP_DB: dbPath, VOXPOP_ADMIN_PASSWORD: 'x'.repeat(12), VOXPOP_MODERATION: 'post', VOXPOP_RATE_VOTE: U, VOXPOP_RATE_COMMENT: U, VOXPOP_RATE_LIKE: U, VOXPOP_RATE_LOGIN: U, VOXPOP_RATE_GLOBAL: U }
const targets: Record<string, Spawned> = {}
for (const t of targetsArg.split(',')) {
  const args = t === 'ceiling' ? ['--import', 'tsx', 'tests/bench/ceiling.ts'] : t === 'full' ? [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] : []), 'dist/server.mjs'] : [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] : []), `dist/zz-${t}.mjs`]
  targets[t] = await spawnServer({ args, env, readyPath: t === 'ceiling' ? '/json' : '/healthz' })
}
const pollId = IDS.livePoll
const poll = await (await fetch(`${Object.entries(targets).find(([k]) => k !== "ceiling")![1].url}/api/polls/${pollId}`)).json() as { options: { id: string }[] }
const voteBody = JSON.stringify({ options: [poll.options[0]!.id] })
const spec = (t: string, w: string): any => {
  if (t === 'ceiling') return w.includes('vote') ? { method: 'POST', path: '/json', headers: { 'content-type': 'application/json' }, body: voteBody } : { path: '/json' }
  if (w === 'poll-read') return { path: `/api/polls/${pollId}` }
  if (w === 'counts') return { path: `/api/counts?` + Array.from({ length: 20 }, (_, i) => `page=${IDS.countKey(i)}`).join('&') }
  if (w === 'poll-vote') return { method: 'POST', path: `/api/polls/${pollId}/votes`, headers: { 'content-type': 'application/json' }, body: voteBody, setupRequest: (r: any) => ({ ...r, headers: { ...r.headers, 'x-voxpop-voter': randomBytes(16).toString('base64url') } }) }
}
for (let r = 0; r < Number(rounds); r++) for (const [t, s] of Object.entries(targets)) for (const w of which.split(',')) {
  await runLoad({ url: s.url, connections: 50, durationSec: 1, ...spec(t, w) })
  const c0 = cpuMs(s.pid)
  const res = await runLoad({ url: s.url, connections: 50, durationSec: Number(dur), ...spec(t, w) })
  console.log(r, t.padEnd(8), w.padEnd(10), 'req/s', Math.round(res.requestsPerSec), 'p50', res.p50, 'p99', res.p99, 'cpu µs/req', Math.round((cpuMs(s.pid) - c0) * 1000 / res.requests), JSON.stringify(res.statusCodes), 'load', (await import('node:os')).loadavg()[0]!.toFixed(1))
}
for (const s of Object.values(targets)) await s.stop()
