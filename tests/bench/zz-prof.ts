import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { runLoad, probeLatency } from './load.ts'
import { spawnServer } from './processes.ts'
import { IDS, seedDatabase } from './seed.ts'
const [, , profDir, which = 'poll-read', dur = '5', entry = 'server/main.ts'] = process.argv
const work = mkdtempSync(join(tmpdir(), 'vp-prof-'))
const dbPath = join(work, 'b.sqlite')
seedDatabase(dbPath, { smallPollVotes: 1000, bigPollVotes: 10000, smallThreadComments: 100, bigThreadComments: 1000, listThreadComments: 200, countKeys: 20 })
const U = '100000000/1s'
const args = [...(profDir !== '-' ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), entry]
const s = await spawnServer({ args, env: { VOXPOP_DB: dbPath, VOXPOP_ADMIN_PASSWORD: 'x'.repeat(12), VOXPOP_MODERATION: 'post', VOXPOP_RATE_VOTE: U, VOXPOP_RATE_COMMENT: U, VOXPOP_RATE_LIKE: U, VOXPOP_RATE_LOGIN: U, VOXPOP_RATE_GLOBAL: U }, readyPath: '/healthz' })
console.log('startup', s.startupMs)
const poll = await (await fetch(`${s.url}/api/polls/${IDS.livePoll}`)).json() as { options: { id: string }[] }
const paths: Record<string, any> = {
  'poll-read': { path: `/api/polls/${IDS.livePoll}` },
  'comments-list': { path: `/api/comments?page=${IDS.listThread}` },
  'counts': { path: `/api/counts?` + Array.from({ length: 20 }, (_, i) => `page=${IDS.countKey(i)}`).join('&') },
  'poll-vote': { method: 'POST', path: `/api/polls/${IDS.livePoll}/votes`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ options: [poll.options[0]!.id] }), setupRequest: (r: any) => ({ ...r, headers: { ...r.headers, 'x-voxpop-voter': randomBytes(16).toString('base64url') } }) },
}
for (const w of which.split(',')) {
  const r = await runLoad({ url: s.url, connections: 50, durationSec: Number(dur), ...paths[w] })
  console.log(w, Math.round(r.requestsPerSec), 'p50', r.p50, 'p99', r.p99, r.statusCodes, r.errors)
}
const [p] = await probeLatency([s.url + paths[which.split(',')[0]!].path], 500)
console.log('probe', p)
await s.stop()
rmSync(work, { recursive: true, force: true })
