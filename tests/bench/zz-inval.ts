import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/open.ts'
import { openRateLimitDb } from '../../server/db/rate-limits.ts'
import { createPollStore } from '../../server/db/polls.ts'
import { IDS, seedDatabase } from './seed.ts'
const path = join(mkdtempSync(join(tmpdir(), 'vp-inv-')), 'p.sqlite')
seedDatabase(path, { smallPollVotes: 10, bigPollVotes: 10000, smallThreadComments: 1, bigThreadComments: 1, listThreadComments: 1, countKeys: 1 })
const db = openDatabase(path)
import Database from 'better-sqlite3'
const rdb = process.env.SEPARATE ? (() => { const d = new Database(path + '-rate'); d.pragma('journal_mode = WAL'); d.pragma('synchronous = NORMAL'); d.exec('CREATE TABLE IF NOT EXISTS rate_limits (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)'); return d })() : openRateLimitDb(db)
if (process.env.MMAP) db.pragma(`mmap_size = ${process.env.MMAP}`)
if (process.env.RMMAP) rdb.pragma(`mmap_size = ${process.env.RMMAP}`)
const store = createPollStore(db)
const up = rdb.prepare(`INSERT INTO rate_limits (key, points, expire) VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET points = points + 1 RETURNING points`)
const upSame = db.prepare(`INSERT INTO rate_limits (key, points, expire) VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET points = points + 1 RETURNING points`)
const N = 20000
const time = (label: string, f: () => void) => { const t = process.cpuUsage(); const w = performance.now(); for (let i = 0; i < N; i++) f(); const c = process.cpuUsage(t); console.log(label.padEnd(48), 'cpu µs', ((c.user + c.system) / N).toFixed(1), 'wall µs', ((performance.now() - w) * 1000 / N).toFixed(1)) }
for (let r = 0; r < 2; r++) {
  time('polls.get alone', () => store.get(IDS.livePoll))
  time('upsert on rate connection alone', () => up.get('k', Date.now() + 1000))
  time('upsert (rate conn) + polls.get', () => { up.get('k', Date.now() + 1000); store.get(IDS.livePoll) })
  time('upsert (same conn) + polls.get', () => { upSame.get('k', Date.now() + 1000); store.get(IDS.livePoll) })
}
