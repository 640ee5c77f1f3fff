import { existsSync, mkdtempSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peakRss, spawnServer, cpuMs } from './processes.ts'
import { IDS, seedDatabase } from './seed.ts'
const cached = '/tmp/vp-1m.sqlite'
if (!existsSync(cached)) console.log('seed', seedDatabase(cached, { smallPollVotes: 1000, bigPollVotes: 1_000_000, smallThreadComments: 100, bigThreadComments: 100_000, listThreadComments: 200, countKeys: 20 }))
const dir = mkdtempSync(join(tmpdir(), 'vp-exp-'))
copyFileSync(cached, join(dir, 'b.sqlite'))
const U = '100000000/1s'
const s = await spawnServer({ args: [process.argv[2] ?? 'dist/server.mjs'], env: { VOXPOP_DB: join(dir, 'b.sqlite'), VOXPOP_ADMIN_PASSWORD: 'bench-admin-password', VOXPOP_RATE_LOGIN: U, VOXPOP_RATE_GLOBAL: U }, readyPath: '/healthz' })
console.log('startup', s.startupMs)
const { token } = await (await fetch(`${s.url}/api/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'bench-admin-password' }) })).json() as any
const c0 = cpuMs(s.pid)
const r = await peakRss(s.pid, async () => {
  const t0 = performance.now()
  const res = await fetch(`${s.url}/api/admin/polls/${IDS.bigPoll}/votes.csv`, { headers: { authorization: `Bearer ${token}` } })
  let bytes = 0
  for await (const chunk of res.body as any) bytes += chunk.length
  return { status: res.status, bytes, ms: performance.now() - t0 }
})
console.log(r, 'server cpu ms', cpuMs(s.pid) - c0)
for (const page of [IDS.smallThread, IDS.bigThread]) { const t0 = performance.now(); const res = await fetch(`${s.url}/api/comments?page=${page}`); await res.text(); console.log(page, res.status, performance.now() - t0) }
await s.stop()
