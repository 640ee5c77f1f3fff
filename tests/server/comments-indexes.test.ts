import { describe, expect, it } from 'vitest'
import { createCommentStore } from '../../server/db/comments.ts'
import { freshDb } from './helpers.ts'

/** The query plan lines of every statement the comment store prepares that merges list parts. */
function listPlans(analyze: boolean): string[][] {
  const db = freshDb()
  db.prepare("INSERT INTO threads (page, created_at) VALUES ('p', 0)").run()
  const insert = db.prepare(
    `INSERT INTO comments (thread_id, parent_id, body, status, voter_hash, ip_hash, body_hash, created_at, likes)
     VALUES (1, ?, 'x', ?, ?, 'i', 'h', ?, ?)`,
  )
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) {
      const id = Number(insert.run(null, i % 3 ? 'spam' : 'approved', `v${i % 50}`, i, i % 7).lastInsertRowid)
      if (i % 10 === 0) insert.run(id, 'pending', 'w', i, 0)
    }
  })()
  if (analyze) db.exec('ANALYZE')
  const statements: string[] = []
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    if (sql.includes('UNION ALL')) statements.push(sql)
    return prepare(sql)
  }) as typeof db.prepare
  createCommentStore(db)
  const params = { thread: 1, key: 1, id: 1, limit: 21, voter: 'v1', ids: '[1,2,3]' }
  return statements.map((sql) => (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail))
}

describe('comment list indexes', () => {
  it.each([false, true])('reads a page of a thread and its replies by index, never scanning comments (ANALYZE run: %s)', (analyze) => {
    const plans = listPlans(analyze)
    expect(plans).toHaveLength(4)
    for (const plan of plans) {
      expect(plan.filter((line) => /^SCAN c\b/.test(line))).toEqual([])
      expect(plan.some((line) => /SEARCH c USING INDEX comments_(thread_time|thread_likes|parent) \(\w+=\? AND status=\?/.test(line))).toBe(true)
    }
  })
})
