import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RateLimiterSQLite, RateLimiterMemory } from 'rate-limiter-flexible'
import { migrate } from '../../server/db/migrate.ts'
import { openDatabase } from '../../server/db/open.ts'
import { openRateLimitDb } from '../../server/db/rate-limits.ts'
const dir = mkdtempSync(join(tmpdir(), 'vp-rl-'))
const db = openDatabase(join(dir, 'r.sqlite')); migrate(db)
const rdb = openRateLimitDb(db)
const opts = { keyPrefix: 'global', points: 100000000, duration: 1 }
const rl = new RateLimiterSQLite({ ...opts, storeClient: rdb, storeType: 'better-sqlite3', tableName: 'rate_limits', tableCreated: true, inMemoryBlockOnConsumed: 100000001, insuranceLimiter: new RateLimiterMemory(opts) })
const N = 3000
for (let round = 0; round < 3; round++) {
  let t0 = process.cpuUsage(); let w0 = performance.now()
  for (let i = 0; i < N; i++) await rl.consume('k')
  let cpu = process.cpuUsage(t0); console.log('sqlite limiter wall µs', ((performance.now() - w0) * 1000 / N).toFixed(1), 'cpu µs', ((cpu.user + cpu.system) / N).toFixed(1))
  const stmt = rdb.prepare(`INSERT INTO rate_limits (key, points, expire) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET points = points + excluded.points RETURNING points, expire`)
  t0 = process.cpuUsage(); w0 = performance.now()
  for (let i = 0; i < N; i++) stmt.get('k2', 1, Date.now() + 1000)
  cpu = process.cpuUsage(t0); console.log('raw prepared upsert wall µs', ((performance.now() - w0) * 1000 / N).toFixed(1), 'cpu µs', ((cpu.user + cpu.system) / N).toFixed(1))
  const mem = new RateLimiterMemory(opts)
  t0 = process.cpuUsage(); w0 = performance.now()
  for (let i = 0; i < N; i++) await mem.consume('k')
  cpu = process.cpuUsage(t0); console.log('memory limiter wall µs', ((performance.now() - w0) * 1000 / N).toFixed(1), 'cpu µs', ((cpu.user + cpu.system) / N).toFixed(1))
}
