import { describe, expect, it } from 'vitest'
import { THREAD_PICKER_SCAN, threadPickerSql } from '../../server/db/comment-queue.ts'
import type { AdminThreadListResponse } from '../../server/types.ts'
import { expectError, newVoter, T0 } from './helpers.ts'
import { createCommentApp, PAGE } from './comments-helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()

/** A comment app with helpers for the article picker. */
function pickerApp() {
  const t = createCommentApp()
  async function threads(query: Record<string, string> = {}): Promise<AdminThreadListResponse> {
    const res = await t.admin('GET', `/api/admin/threads?${new URLSearchParams(query)}`)
    if (res.status !== 200) throw new Error(`threads refused: ${res.status} ${await res.text()}`)
    return (await res.json()) as AdminThreadListResponse
  }
  async function post(page: string, input: Record<string, unknown> = {}): Promise<number> {
    const id = (await t.postOk(newVoter(), { page, ...input })).comment.id
    t.clock.advance(1000)
    return id
  }
  return { ...t, threads, post }
}

describe('GET /api/admin/threads', () => {
  it('lists the articles with pending comments by default, the most recently commented first, with exact counts', async () => {
    const t = pickerApp()
    const a1 = await t.post(PAGE, { title: 'Lũ lụt miền Trung', url: 'https://bao.example/lu-lut' })
    await t.approve(a1)
    await t.post('gia-xang', { title: 'Giá xăng tăng' })
    const a3 = await t.post(PAGE, { parentId: a1 })
    const approvedOnly = await t.post('chi-da-duyet')
    await t.approve(approvedOnly)
    await t.post(PAGE)

    expect(await t.threads()).toEqual({
      threads: [
        { page: PAGE, title: 'Lũ lụt miền Trung', url: 'https://bao.example/lu-lut', count: 2, lastCommentAt: iso(T0 + 4000) },
        { page: 'gia-xang', title: 'Giá xăng tăng', url: null, count: 1, lastCommentAt: iso(T0 + 1000) },
      ],
    })

    // Approving moves a comment from one list to the other; replies count like any comment.
    await t.approve(a3)
    expect((await t.threads()).threads.map((x) => [x.page, x.count])).toEqual([
      [PAGE, 1],
      ['gia-xang', 1],
    ])
    expect((await t.threads({ status: 'approved' })).threads).toEqual([
      { page: 'chi-da-duyet', title: null, url: null, count: 1, lastCommentAt: iso(T0 + 3000) },
      { page: PAGE, title: 'Lũ lụt miền Trung', url: 'https://bao.example/lu-lut', count: 2, lastCommentAt: iso(T0 + 2000) },
    ])
    expect((await t.threads({ status: 'all' })).threads.map((x) => [x.page, x.count])).toEqual([
      [PAGE, 3],
      ['chi-da-duyet', 1],
      ['gia-xang', 1],
    ])
    expect(await t.threads({ status: 'rejected' })).toEqual({ threads: [] })
  })

  it('counts what the queue counts for the same status and article', async () => {
    const t = pickerApp()
    const ids = [await t.post(PAGE), await t.post(PAGE), await t.post(PAGE, { website: 'bot' }), await t.post('khac')]
    await t.moderate(ids[1]!, 'reject')
    for (const status of ['pending', 'approved', 'rejected', 'spam', 'all']) {
      for (const thread of (await t.threads({ status })).threads) {
        expect({ status, page: thread.page, count: thread.count }).toEqual({ status, page: thread.page, count: (await t.queue({ status, page: thread.page })).total })
      }
    }
    expect((await t.threads({ status: 'spam' })).threads.map((x) => x.page)).toEqual([PAGE])
  })

  it('answers at most `limit` threads', async () => {
    const t = pickerApp()
    for (const page of ['a', 'b', 'c', 'd']) await t.post(page)
    expect((await t.threads({ limit: '2' })).threads.map((x) => x.page)).toEqual(['d', 'c'])
    expect((await t.threads({ limit: '100' })).threads).toHaveLength(4)
  })

  it(`finds threads among the newest ${THREAD_PICKER_SCAN} comments of the status, and counts all of theirs`, async () => {
    const t = pickerApp()
    await t.post('cu', { title: 'Bài cũ' })
    await t.post('moi')
    // Enough newer pending comments on one article to push the old article out of the scan.
    const insert = t.db.prepare(
      `INSERT INTO comments (thread_id, body, status, voter_hash, ip_hash, body_hash, created_at)
       SELECT id, 'x', 'pending', 'v', 'i', 'h', ? FROM threads WHERE page = 'moi'`,
    )
    t.db.transaction(() => {
      for (let i = 0; i < THREAD_PICKER_SCAN; i++) insert.run(T0 + 10_000 + i)
    })()
    expect((await t.threads()).threads).toEqual([expect.objectContaining({ page: 'moi', count: THREAD_PICKER_SCAN + 1 })])
    // A newer comment on the old article brings it back, with all of its comments counted.
    t.clock.advance(THREAD_PICKER_SCAN + 10_000)
    await t.post('cu', { body: 'Mới nhất' })
    expect((await t.threads()).threads.map((x) => [x.page, x.count])).toEqual([
      ['cu', 2],
      ['moi', THREAD_PICKER_SCAN + 1],
    ])
  })

  it('reads comments through indexes, never scanning the table for them', () => {
    const t = pickerApp()
    const params = { status: 'pending', scan: THREAD_PICKER_SCAN, limit: 50 }
    const plan = (byStatus: boolean) =>
      (t.db.prepare(`EXPLAIN QUERY PLAN ${threadPickerSql(byStatus)}`).all(params) as { detail: string }[]).map((r) => r.detail)
    const byStatus = plan(true)
    expect(byStatus).toContainEqual(expect.stringMatching(/^SEARCH comments USING (COVERING )?INDEX comments_status_time \(status=\?\)$/))
    expect(byStatus).toContainEqual(expect.stringMatching(/^SEARCH k USING COVERING INDEX comments_thread_status \(thread_id=\? AND status=\?\)$/))
    const all = plan(false)
    expect(all).toContainEqual(expect.stringMatching(/^SCAN comments USING (COVERING )?INDEX comments_time$/))
    expect(all).toContainEqual(expect.stringMatching(/^SEARCH k USING COVERING INDEX comments_thread_\w+ \(thread_id=\?\)$/))
    // Only the bounded newest-first walk of comments_time scans; no other step reads comments in full.
    for (const line of [...byStatus, ...all]) expect(line).not.toMatch(/^SCAN (k|comments)$/)
  })

  it.each(['status=deleted', 'status=', 'limit=0', 'limit=101', 'limit=x'])('answers 400 invalid_request to %s', async (query) => {
    const t = pickerApp()
    await expectError(await t.admin('GET', `/api/admin/threads?${query}`), 400, 'invalid_request')
  })

  it('answers 401 without a session', async () => {
    const t = pickerApp()
    await t.post(PAGE)
    await expectError(await t.request('/api/admin/threads'), 401, 'unauthorized')
  })
})
