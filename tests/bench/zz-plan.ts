import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/open.ts'
import { seedDatabase } from './seed.ts'
const path = join(mkdtempSync(join(tmpdir(), 'vp-plan-')), 'p.sqlite')
seedDatabase(path, { smallPollVotes: 10, bigPollVotes: 10, smallThreadComments: 100, bigThreadComments: 20000, listThreadComments: 200, countKeys: 2 })
const db = openDatabase(path)
const visibleTo = (c: string) => `(${c}.status = 'approved' OR (${c}.status IN ('pending', 'spam') AND ${c}.voter_hash = @voter))`
const sql = `SELECT c.id FROM comments c
       WHERE c.thread_id = @thread AND c.parent_id IS NULL AND (c.created_at, c.id) < (@key, @id)
         AND (${visibleTo('c')} OR (c.status = 'deleted'
           AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND ${visibleTo('r')})))
       ORDER BY c.created_at DESC, c.id DESC LIMIT @limit`
console.log(db.prepare('EXPLAIN QUERY PLAN ' + sql).all({ thread: 1, key: 1, id: 1, voter: null, limit: 21 }))
for (const page of ['growth-small', 'growth-big', 'bench-list']) {
  const thread = (db.prepare('SELECT id FROM threads WHERE page = ?').get(page) as { id: number }).id
  const st = db.prepare(sql)
  const t0 = performance.now()
  for (let i = 0; i < 200; i++) st.all({ thread, key: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER, voter: null, limit: 21 })
  console.log(page, ((performance.now() - t0) * 1000 / 200).toFixed(0), 'µs')
}
const sql2 = sql.replace('FROM comments c', 'FROM comments c INDEXED BY comments_thread_time')
console.log(db.prepare('EXPLAIN QUERY PLAN ' + sql2).all({ thread: 1, key: 1, id: 1, voter: null, limit: 21 }).map((r: any) => r.detail))
for (const page of ['growth-small', 'growth-big']) {
  const thread = (db.prepare('SELECT id FROM threads WHERE page = ?').get(page) as { id: number }).id
  const st = db.prepare(sql2)
  const t0 = performance.now()
  for (let i = 0; i < 200; i++) st.all({ thread, key: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER, voter: null, limit: 21 })
  console.log('INDEXED BY', page, ((performance.now() - t0) * 1000 / 200).toFixed(0), 'µs')
}
db.exec('ANALYZE')
console.log(db.prepare('EXPLAIN QUERY PLAN ' + sql).all({ thread: 1, key: 1, id: 1, voter: null, limit: 21 }).map((r: any) => r.detail))
for (const page of ['growth-small', 'growth-big']) {
  const thread = (db.prepare('SELECT id FROM threads WHERE page = ?').get(page) as { id: number }).id
  const st = db.prepare(sql)
  const t0 = performance.now()
  for (let i = 0; i < 200; i++) st.all({ thread, key: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER, voter: null, limit: 21 })
  console.log('after ANALYZE', page, ((performance.now() - t0) * 1000 / 200).toFixed(0), 'µs')
}
