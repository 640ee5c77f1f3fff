import { describe, expect, it } from 'vitest'
import { expectError, newVoter } from './helpers.ts'
import { createCommentApp, createOpenCommentApp, PAGE, type CommentApp } from './comments-helpers.ts'

/** What the database says, counting rows: the truth threads.approved_count must match. */
function approvedRows(t: CommentApp, page = PAGE): number {
  return t.db
    .prepare<[string], { n: number }>("SELECT count(*) AS n FROM comments JOIN threads t ON t.id = thread_id WHERE t.page = ? AND status = 'approved'")
    .get(page)!.n
}

describe('GET /api/counts', () => {
  it('answers the approved count (replies included) of many pages in one request, 0 for the unknown', async () => {
    const t = createOpenCommentApp()
    const keys = Array.from({ length: 100 }, (_, i) => `bai-${i}`)
    for (const [i, page] of keys.slice(0, 5).entries()) {
      const top = await t.postOk(newVoter(), { page })
      for (let r = 0; r < i; r++) await t.postOk(newVoter(), { page, parentId: top.comment.id, body: `trả lời ${r}` })
    }
    await t.postOk(newVoter(), { page: 'bai-0', website: 'spam' })
    const res = await t.counts(keys)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=30')
    const body = (await res.json()) as Record<string, number>
    expect(Object.keys(body)).toEqual(keys)
    expect(keys.map((k) => body[k])).toEqual([1, 2, 3, 4, 5, ...Array(95).fill(0)])
  })

  it('answers every key exactly as asked, NFD, odd or repeated', async () => {
    const t = createOpenCommentApp()
    await t.postOk(newVoter(), { page: 'tin-tức/Việt-Nam' })
    const asked = ['tin-tức/Việt-Nam'.normalize('NFD'), 'tin-tức/Việt-Nam', '__proto__', 'constructor', 'a&b=c', 'tin-tức/Việt-Nam']
    const body = (await (await t.counts(asked)).json()) as Record<string, number>
    expect(body).toEqual(
      Object.fromEntries([
        ['tin-tức/Việt-Nam'.normalize('NFD'), 1],
        ['tin-tức/Việt-Nam', 1],
        ['__proto__', 0],
        ['constructor', 0],
        ['a&b=c', 0],
      ]),
    )
  })

  it.each<[string, string]>([
    ['no page key', ''],
    ['101 page keys', Array.from({ length: 101 }, (_, i) => `page=p${i}`).join('&')],
    ['an empty page key', 'page=a&page='],
    ['a page key over 500 characters', `page=${'p'.repeat(501)}`],
  ])('answers 400 invalid_request to %s', async (_, query) => {
    const t = createCommentApp()
    await expectError(await t.request(`/api/counts?${query}`), 400, 'invalid_request')
  })

  it('takes an undecodable percent-escape literally instead of failing', async () => {
    const t = createCommentApp()
    const res = await t.request('/api/counts?page=%E0%A4%A')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ '%E0%A4%A': 0 })
  })

  it('stays exact through approve, reject, edit, author delete and admin delete', async () => {
    const t = createCommentApp()
    const expectCount = async (n: number) => {
      expect(approvedRows(t)).toBe(n)
      expect(await t.countOf()).toBe(n)
      expect((await t.listOk()).total).toBe(n)
    }
    const a = await t.postOk(newVoter(), { body: 'A' })
    const b = await t.postOk(newVoter(), { body: 'B' })
    await expectCount(0)
    await t.approve(a.comment.id)
    await t.approve(a.comment.id)
    await expectCount(1)
    const replies = []
    for (let i = 0; i < 3; i++) replies.push(await t.postOk(newVoter(), { parentId: a.comment.id, body: `A${i}` }))
    for (const r of replies) await t.approve(r.comment.id)
    await expectCount(4)
    await t.moderate(replies[0]!.comment.id, 'reject')
    await t.moderate(replies[0]!.comment.id, 'reject')
    await expectCount(3)
    await t.approve(b.comment.id)
    await expectCount(4)
    await t.editOk(b.comment.id, b.editToken, 'B đã sửa')
    await expectCount(3)
    await t.approve(b.comment.id)
    await expectCount(4)
    expect((await t.remove(replies[1]!.comment.id, replies[1]!.editToken)).status).toBe(204)
    await expectCount(3)
    expect((await t.remove(a.comment.id, a.editToken)).status).toBe(204)
    await expectCount(2)
    await t.approve(replies[0]!.comment.id)
    await expectCount(3)
    expect((await t.admin('DELETE', `/api/admin/comments/${a.comment.id}`)).status).toBe(204)
    await expectCount(1)
    expect((await t.admin('DELETE', `/api/admin/comments/${b.comment.id}`)).status).toBe(204)
    await expectCount(0)
  })
})
