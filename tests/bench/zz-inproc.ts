import { getRequestListener } from '@hono/node-server'
import { Hono, type MiddlewareHandler } from 'hono'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { openDatabase } from '../../server/db/open.ts'
import { openRateLimitDb } from '../../server/db/rate-limits.ts'
import { IDS, seedDatabase } from './seed.ts'
getRequestListener(() => new Response('x')) // swap in node-server's lightweight Response, as serve() does
const dir = mkdtempSync(join(tmpdir(), 'vp-inproc-'))
const path = join(dir, 'b.sqlite')
seedDatabase(path, { smallPollVotes: 10, bigPollVotes: 10, smallThreadComments: 10, bigThreadComments: 10, listThreadComments: 200, countKeys: 20 })
const U = '100000000/1s'
const env = { VOXPOP_DB: path, VOXPOP_MODERATION: 'post', VOXPOP_RATE_GLOBAL: U, VOXPOP_RATE_VOTE: U }
const db = openDatabase(path)
const config = loadConfig(env)
const incoming = { socket: { remoteAddress: '127.0.0.1' } }
const full = createApp({ db, rateDb: openRateLimitDb(db), config, secret: 's'.repeat(20) })
const bare = new Hono().get('/api/polls/:id', (c) => c.json({ id: 'x', question: 'q', options: [{ id: 'a', label: 'b' }], results: { totalVotes: 1 } }))
const variants: Record<string, (req: Request) => Response | Promise<Response>> = {
  full: (r) => full.fetch(r, { incoming }),
  bare: (r) => bare.fetch(r, { incoming }),
}
const paths = process.argv[2]?.split(',') ?? [`/api/polls/${IDS.livePoll}`]
const N = Number(process.argv[3] ?? 5000)
for (const p of paths) for (let round = 0; round < 3; round++) for (const [name, f] of Object.entries(variants)) {
  if (name === 'bare' && !p.startsWith('/api/polls')) continue
  const t0 = process.cpuUsage(); const w0 = performance.now()
  for (let i = 0; i < N; i++) { const res = await f(new Request('http://127.0.0.1' + p)); if (res.status !== 200) throw new Error(String(res.status)) }
  const cpu = process.cpuUsage(t0)
  console.log(round, p.slice(0, 40).padEnd(40), name.padEnd(6), 'wall µs/req', ((performance.now() - w0) * 1000 / N).toFixed(1), 'cpu µs/req', ((cpu.user + cpu.system) / N).toFixed(1))
}
