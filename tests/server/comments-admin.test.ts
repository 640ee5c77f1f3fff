import { describe, expect, it } from 'vitest'
import type { AdminCommentListResponse } from '../../server/types.ts'
import { expectError, newVoter, T0 } from './helpers.ts'
import { createCommentApp, PAGE } from './comments-helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()

describe('GET /api/admin/comments', () => {
  it('answers the pending queue by default, flat and newest first, with thread, email and status', async () => {
    const t = createCommentApp()
    const top = await t.postOk(newVoter(), { author: 'Lan', email: 'lan@example.com', title: 'Tiêu đề', url: 'https://bao.example/bai-123' })
    await t.approve(top.comment.id)
    t.clock.advance(1000)
    const reply = await t.postOk(newVoter(), { author: 'Minh', body: 'Trả lời', parentId: top.comment.id })
    t.clock.advance(1000)
    const other = await t.postOk(newVoter(), { author: 'Hoa', body: 'Khác', page: 'bai-khac' })
    await t.approve(reply.comment.id)
    t.clock.advance(1000)
    const replyToReply = await t.postOk(newVoter(), { body: 'Trả lời Minh', parentId: reply.comment.id })
    const queue = await t.queue()
    expect(queue).toEqual({
      comments: [
        {
          id: replyToReply.comment.id,
          parentId: top.comment.id,
          replyTo: 'Minh',
          author: null,
          body: 'Trả lời Minh',
          createdAt: iso(T0 + 3000),
          editedAt: null,
          likes: 0,
          likedByMe: false,
          replies: [],
          status: 'pending',
          page: PAGE,
          pageTitle: 'Tiêu đề',
          pageUrl: 'https://bao.example/bai-123',
          email: null,
        },
        expect.objectContaining({ id: other.comment.id, status: 'pending', page: 'bai-khac', pageTitle: null, pageUrl: null }),
      ],
      nextCursor: null,
      total: 2,
    })
    const approved = await t.queue({ status: 'approved' })
    expect(approved.comments).toEqual([
      expect.objectContaining({ id: reply.comment.id, parentId: top.comment.id, replyTo: null, author: 'Minh', status: 'approved' }),
      expect.objectContaining({ id: top.comment.id, email: 'lan@example.com', status: 'approved' }),
    ])
  })

  it('filters by status, page and text, and pages with a cursor', async () => {
    const t = createCommentApp()
    const ids: Record<string, number> = {}
    const add = async (key: string, input: Record<string, unknown>) => {
      ids[key] = (await t.postOk(newVoter(), input)).comment.id
      t.clock.advance(1000)
    }
    await add('a', { body: 'Giá xăng tăng 100%', author: 'Lan' })
    await add('b', { body: 'Giá xăng tăng 100 phần trăm' })
    await add('c', { body: 'Ý kiến khác', author: 'Nguyễn Văn Tiến', page: 'bai-khac' })
    await add('d', { body: 'rác_rưởi', website: 'x' })
    await add('e', { body: 'bị loại' })
    await t.moderate(ids.e!, 'reject')
    await t.approve(ids.b!)

    const idsOf = (r: AdminCommentListResponse) => r.comments.map((c) => c.id)
    expect(idsOf(await t.queue())).toEqual([ids.c, ids.a])
    expect(idsOf(await t.queue({ status: 'approved' }))).toEqual([ids.b])
    expect(idsOf(await t.queue({ status: 'rejected' }))).toEqual([ids.e])
    expect(idsOf(await t.queue({ status: 'spam' }))).toEqual([ids.d])
    expect(idsOf(await t.queue({ status: 'all' }))).toEqual([ids.e, ids.d, ids.c, ids.b, ids.a])
    expect(idsOf(await t.queue({ status: 'all', page: 'bai-khac' }))).toEqual([ids.c])
    expect(idsOf(await t.queue({ status: 'pending', page: PAGE }))).toEqual([ids.a])
    expect(await t.queue({ status: 'all', page: 'khong-co' })).toEqual({ comments: [], nextCursor: null, total: 0 })
    // Wildcards in q are literal; NFD input finds NFC text; author names are searched too.
    expect(idsOf(await t.queue({ status: 'all', q: '100%' }))).toEqual([ids.a])
    expect(idsOf(await t.queue({ status: 'all', q: '_' }))).toEqual([ids.d])
    expect(idsOf(await t.queue({ status: 'all', q: 'n_' }))).toEqual([])
    expect(idsOf(await t.queue({ status: 'all', q: 'Văn Tiến'.normalize('NFD') }))).toEqual([ids.c])
    expect(idsOf(await t.queue({ status: 'all', q: 'xăng' }))).toEqual([ids.b, ids.a])
    expect((await t.queue({ status: 'all', q: 'xăng' })).total).toBe(2)

    const seen: number[] = []
    let cursor: string | null = null
    do {
      const page: AdminCommentListResponse = await t.queue({ status: 'all', limit: '2', ...(cursor ? { cursor } : {}) })
      expect(page.total).toBe(5)
      seen.push(...idsOf(page))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([ids.e, ids.d, ids.c, ids.b, ids.a])
  })

  it('keeps the page title and URL from readers’ comments, never from spam', async () => {
    const t = createCommentApp()
    await t.postOk(newVoter(), { title: 'Tiêu đề thật', url: 'https://bao.example/that' })
    await t.postOk(newVoter(), { title: 'Mua thuốc', url: 'https://spam.example', website: 'x' })
    await t.postOk(newVoter(), { body: 'không gửi tiêu đề' })
    const { comments } = await t.queue({ status: 'all' })
    expect(comments.map((c) => [c.pageTitle, c.pageUrl])).toEqual(Array(3).fill(['Tiêu đề thật', 'https://bao.example/that']))
  })

  it.each([['status=deleted'], ['status=PENDING'], ['limit=0'], ['limit=101'], ['cursor=xyz'], [`page=${'p'.repeat(501)}`], [`q=${'q'.repeat(201)}`]])(
    'answers 400 invalid_request to %s',
    async (query) => {
      const t = createCommentApp()
      await expectError(await t.admin('GET', `/api/admin/comments?${query}`), 400, 'invalid_request')
    },
  )

  it('answers 401 to every admin comment route without a session', async () => {
    const t = createCommentApp()
    const { comment } = await t.postOk(newVoter())
    const json = { 'Content-Type': 'application/json' }
    await expectError(await t.request('/api/admin/comments'), 401, 'unauthorized')
    await expectError(await t.request(`/api/admin/comments/${comment.id}/approve`, { method: 'POST', headers: json, body: '{}' }), 401, 'unauthorized')
    await expectError(await t.request(`/api/admin/comments/${comment.id}/reject`, { method: 'POST', headers: json, body: '{}' }), 401, 'unauthorized')
    await expectError(await t.request(`/api/admin/comments/${comment.id}`, { method: 'DELETE', headers: { Authorization: 'Bearer nope-nope-nope-nope' } }), 401, 'unauthorized')
    expect(t.db.prepare('SELECT status FROM comments').get()).toEqual({ status: 'pending' })
  })
})

describe('POST /api/admin/comments/:id/approve and /reject', () => {
  it('answers 200 with the admin view, and approve restores a rejected or spam comment', async () => {
    const t = createCommentApp()
    const voter = newVoter()
    const { comment } = await t.postOk(voter, { website: 'bot', email: 'a@example.com' })
    const approved = await t.approve(comment.id)
    expect(approved).toMatchObject({ id: comment.id, status: 'approved', email: 'a@example.com', page: PAGE })
    expect((await t.listOk({}, newVoter())).comments.map((c) => c.id)).toEqual([comment.id])
    const res = await t.moderate(comment.id, 'reject')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: comment.id, status: 'rejected' })
    expect((await t.listOk({}, voter)).comments).toEqual([])
    expect((await t.approve(comment.id)).status).toBe('approved')
  })

  it('answers 404 comment_not_found for an unknown id or an author-deleted placeholder', async () => {
    const t = createCommentApp()
    const top = await t.postOk(newVoter())
    await t.approve(top.comment.id)
    const reply = await t.postOk(newVoter(), { parentId: top.comment.id, body: 'trả lời' })
    await t.remove(top.comment.id, top.editToken)
    for (const id of ['999', 'abc', String(top.comment.id)]) {
      await expectError(await t.moderate(id, 'approve'), 404, 'comment_not_found')
      await expectError(await t.moderate(id, 'reject'), 404, 'comment_not_found')
    }
    expect((await t.approve(reply.comment.id)).status).toBe('approved')
  })
})

describe('DELETE /api/admin/comments/:id', () => {
  it('deletes the comment with all its replies and likes, and answers 404 after', async () => {
    const t = createCommentApp()
    const top = await t.postOk(newVoter())
    await t.approve(top.comment.id)
    const reply = await t.postOk(newVoter(), { parentId: top.comment.id, body: 'trả lời' })
    await t.approve(reply.comment.id)
    await t.like(reply.comment.id, newVoter())
    const other = await t.postOk(newVoter(), { body: 'khác' })
    await t.approve(other.comment.id)
    expect(await t.countOf()).toBe(3)
    const res = await t.admin('DELETE', `/api/admin/comments/${top.comment.id}`)
    expect(res.status).toBe(204)
    expect(await t.countOf()).toBe(1)
    expect(t.db.prepare('SELECT id FROM comments').all()).toEqual([{ id: other.comment.id }])
    expect(t.db.prepare('SELECT count(*) AS n FROM comment_likes').get()).toEqual({ n: 0 })
    await expectError(await t.admin('DELETE', `/api/admin/comments/${top.comment.id}`), 404, 'comment_not_found')
    await expectError(await t.admin('DELETE', '/api/admin/comments/abc'), 404, 'comment_not_found')
  })

  it('deletes a single reply and removes a placeholder left without replies', async () => {
    const t = createCommentApp()
    const top = await t.postOk(newVoter())
    await t.approve(top.comment.id)
    const reply = await t.postOk(newVoter(), { parentId: top.comment.id, body: 'trả lời' })
    await t.approve(reply.comment.id)
    await t.remove(top.comment.id, top.editToken)
    expect((await t.listOk()).comments.map((c) => c.status)).toEqual(['deleted'])
    expect((await t.admin('DELETE', `/api/admin/comments/${reply.comment.id}`)).status).toBe(204)
    expect(await t.listOk()).toMatchObject({ comments: [], total: 0 })
    expect(t.db.prepare('SELECT count(*) AS n FROM comments').get()).toEqual({ n: 0 })
  })
})
