import { describe, expect, it } from 'vitest'
import { encodeCursor } from '../../server/lib/cursor.ts'
import type { CommentListResponse, CommentView } from '../../server/types.ts'
import { expectError, newVoter } from './helpers.ts'
import { createCommentApp, createOpenCommentApp, PAGE, type CommentApp } from './comments-helpers.ts'

type Sort = 'newest' | 'oldest' | 'top'

/** Posts an approved top-level comment (post moderation) as a new reader and returns its id. */
async function published(t: CommentApp, body: string): Promise<number> {
  return (await t.postOk(newVoter(), { body })).comment.id
}

/** Reads every page of a thread, calling `between` after each page; returns the pages' ids. */
async function readAll(t: CommentApp, sort: Sort, limit: number, between: () => Promise<void>): Promise<number[][]> {
  const pages: number[][] = []
  let cursor: string | null = null
  do {
    const page: CommentListResponse = await t.listOk({ sort, limit: String(limit), ...(cursor ? { cursor } : {}) })
    expect(page.comments.length).toBeLessThanOrEqual(limit)
    pages.push(page.comments.map((c) => c.id))
    cursor = page.nextCursor
    await between()
  } while (cursor !== null && pages.length < 100)
  return pages
}

describe('GET /api/comments', () => {
  it('answers an empty list with a form token for a page nobody has commented on', async () => {
    const t = createCommentApp()
    const body = await t.listOk({ page: 'chua-ai-binh-luan' })
    expect(body).toEqual({ comments: [], nextCursor: null, total: 0, formToken: expect.stringMatching(/^\d+\.[A-Za-z0-9_-]{43}$/) })
  })

  it('hides a pre-moderated comment from other readers until approved, and shows it to its author as pending', async () => {
    const t = createCommentApp()
    const author = newVoter()
    const other = newVoter()
    const { comment } = await t.postOk(author, { author: 'Lan', body: 'Chờ duyệt' })
    expect(await t.listOk({}, author)).toMatchObject({ comments: [{ id: comment.id, body: 'Chờ duyệt', status: 'pending' }], total: 0 })
    expect(await t.listOk({}, other)).toMatchObject({ comments: [], total: 0 })
    expect(await t.listOk()).toMatchObject({ comments: [], total: 0 })

    await t.approve(comment.id)
    for (const reader of [author, other, undefined]) {
      const list = await t.listOk({}, reader)
      expect(list.total).toBe(1)
      expect(list.comments).toHaveLength(1)
      expect(list.comments[0]).toMatchObject({ id: comment.id, body: 'Chờ duyệt', author: 'Lan' })
      expect(list.comments[0]).not.toHaveProperty('status')
    }
  })

  it('nests replies oldest first, with the reader’s own pending reply only for them', async () => {
    const t = createCommentApp()
    const top = await t.postOk(newVoter(), { body: 'Gốc' })
    await t.approve(top.comment.id)
    const replier = newVoter()
    t.clock.advance(1000)
    const first = await t.postOk(newVoter(), { body: 'Trả lời 1', parentId: top.comment.id })
    await t.approve(first.comment.id)
    t.clock.advance(1000)
    const mine = await t.postOk(replier, { body: 'Trả lời của tôi', parentId: top.comment.id })
    t.clock.advance(1000)
    const third = await t.postOk(newVoter(), { body: 'Trả lời 3', parentId: top.comment.id })
    await t.approve(third.comment.id)

    const asReplier = await t.listOk({}, replier)
    expect(asReplier.comments[0]!.replies.map((r) => [r.body, r.status])).toEqual([
      ['Trả lời 1', undefined],
      ['Trả lời của tôi', 'pending'],
      ['Trả lời 3', undefined],
    ])
    const asOther = await t.listOk({}, newVoter())
    expect(asOther.comments[0]!.replies.map((r) => r.body)).toEqual(['Trả lời 1', 'Trả lời 3'])
    expect(asOther.total).toBe(3)
    expect(mine.comment.parentId).toBe(top.comment.id)
  })

  it('keeps a deleted comment with replies as an empty placeholder, and drops it with its last reply', async () => {
    const t = createOpenCommentApp()
    const top = await t.postOk(newVoter(), { author: 'Lan', body: 'Sẽ xoá' })
    const reply = await t.postOk(newVoter(), { body: 'Trả lời', parentId: top.comment.id })
    expect((await t.remove(top.comment.id, top.editToken)).status).toBe(204)
    const list = await t.listOk()
    expect(list.total).toBe(1)
    expect(list.comments).toEqual([
      {
        id: top.comment.id,
        parentId: null,
        replyTo: null,
        author: null,
        body: '',
        createdAt: top.comment.createdAt,
        editedAt: null,
        likes: 0,
        likedByMe: false,
        replies: [expect.objectContaining({ id: reply.comment.id, body: 'Trả lời' })],
        status: 'deleted',
      },
    ])
    expect(t.db.prepare('SELECT body, author FROM comments WHERE id = ?').get(top.comment.id)).toEqual({ body: '', author: null })

    expect((await t.remove(reply.comment.id, reply.editToken)).status).toBe(204)
    expect(await t.listOk()).toMatchObject({ comments: [], total: 0 })
    expect(t.db.prepare('SELECT count(*) AS n FROM comments').get()).toEqual({ n: 0 })
  })

  it('does not show a deleted placeholder whose replies are all hidden from the reader', async () => {
    const t = createCommentApp()
    const top = await t.postOk(newVoter(), { body: 'Gốc' })
    await t.approve(top.comment.id)
    const replier = newVoter()
    await t.postOk(replier, { body: 'Chờ duyệt', parentId: top.comment.id })
    await t.remove(top.comment.id, top.editToken)
    expect((await t.listOk({}, newVoter())).comments).toEqual([])
    expect((await t.listOk({}, replier)).comments.map((c) => [c.status, c.replies.length])).toEqual([['deleted', 1]])
  })

  it('marks what this reader liked', async () => {
    const t = createOpenCommentApp()
    const top = await t.postOk(newVoter(), { body: 'Gốc' })
    const reply = await t.postOk(newVoter(), { body: 'Trả lời', parentId: top.comment.id })
    const fan = newVoter()
    await t.like(reply.comment.id, fan)
    const mine = (await t.listOk({}, fan)).comments[0]!
    expect([mine.likedByMe, mine.replies[0]!.likedByMe, mine.replies[0]!.likes]).toEqual([false, true, 1])
    const theirs = (await t.listOk({}, newVoter())).comments[0]!
    expect(theirs.replies[0]!.likedByMe).toBe(false)
  })

  it('answers the first page of 20 newest with a cursor to the rest', async () => {
    const t = createOpenCommentApp()
    const ids: number[] = []
    for (let i = 0; i < 25; i++) {
      ids.push(await published(t, `bình luận ${i}`))
      t.clock.advance(1000)
    }
    const first = await t.listOk()
    expect(first.comments.map((c) => c.id)).toEqual(ids.slice(5).reverse())
    expect(first.total).toBe(25)
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = await t.listOk({ cursor: first.nextCursor! })
    expect(second.comments.map((c) => c.id)).toEqual(ids.slice(0, 5).reverse())
    expect(second.nextCursor).toBeNull()
  })

  describe('keyset pagination', () => {
    it.each<Sort>(['newest', 'oldest', 'top'])('returns every %s comment exactly once while new ones arrive between pages', async (sort) => {
      const t = createOpenCommentApp()
      const original: number[] = []
      for (let i = 0; i < 23; i++) {
        original.push(await published(t, `gốc ${i}`))
        // Every third comment shares its timestamp with the next: ties are broken by id.
        if (i % 3 !== 0) t.clock.advance(1000)
      }
      // Likes with ties too, so `top` has equal keys across page boundaries.
      for (const [i, id] of original.entries()) {
        for (let n = 0; n < i % 4; n++) await t.like(id, newVoter())
      }
      let added = 0
      const pages = await readAll(t, sort, 4, async () => {
        t.clock.advance(500)
        await published(t, `mới ${added++}`)
        await published(t, `mới ${added++}`)
      })
      const seen = pages.flat()
      expect(new Set(seen).size).toBe(seen.length)
      for (const id of original) expect(seen.filter((s) => s === id)).toEqual([id])
      expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true)

      const rows = t.db.prepare<[], { id: number; likes: number; created_at: number }>('SELECT id, likes, created_at FROM comments').all()
      const row = new Map(rows.map((r) => [r.id, r]))
      const key = (id: number) => (sort === 'top' ? row.get(id)!.likes : row.get(id)!.created_at)
      const ordered = original.filter((id) => seen.includes(id))
      const inOrder = seen.filter((id) => original.includes(id))
      const expected = [...ordered].sort((a, b) => (sort === 'oldest' ? key(a) - key(b) || a - b : key(b) - key(a) || b - a))
      expect(inOrder).toEqual(expected)
    })

    it('answers 400 invalid_request to a cursor from another sort', async () => {
      const t = createOpenCommentApp()
      for (let i = 0; i < 3; i++) await published(t, `x${i}`)
      const { nextCursor } = await t.listOk({ sort: 'newest', limit: '1' })
      await expectError(await t.list({ sort: 'top', cursor: nextCursor! }), 400, 'invalid_request')
    })
  })

  it.each<[string, Record<string, string>]>([
    ['no page', { page: '' }],
    ['a page key over 500 characters', { page: 'p'.repeat(501) }],
    ['an unknown sort', { sort: 'best' }],
    ['limit 0', { limit: '0' }],
    ['limit 51', { limit: '51' }],
    ['a limit that is not a number', { limit: 'mười' }],
    ['a negative limit', { limit: '-1' }],
    ['a cursor that is not base64url', { cursor: '!!!' }],
    ['a cursor that is not JSON', { cursor: Buffer.from('not json').toString('base64url') }],
    ['a cursor with a string key', { cursor: Buffer.from('{"s":"newest","k":"1","i":1}').toString('base64url') }],
    ['a very long cursor', { cursor: 'A'.repeat(5000) }],
  ])('answers 400 invalid_request to %s', async (_, query) => {
    const t = createOpenCommentApp()
    await published(t, 'x')
    await expectError(await t.list(query), 400, 'invalid_request')
  })

  it('answers 400 invalid_request without a page parameter at all', async () => {
    const t = createCommentApp()
    await expectError(await t.request('/api/comments'), 400, 'invalid_request')
    await expectError(await t.request('/api/comments?page=a&page=b'), 400, 'invalid_request')
  })

  it('answers 400 voter_required to a malformed reader token', async () => {
    const t = createCommentApp()
    await expectError(await t.request(`/api/comments?page=${PAGE}`, { headers: { 'X-Voxpop-Voter': 'not a token' } }), 400, 'voter_required')
  })

  it('finds the thread of an NFD page key', async () => {
    const t = createOpenCommentApp()
    await t.postOk(newVoter(), { page: 'tin-tức/Việt-Nam' })
    const list = await t.listOk({ page: 'tin-tức/Việt-Nam'.normalize('NFD') })
    expect(list.total).toBe(1)
    expect(list.comments).toHaveLength(1)
  })

  it('accepts a cursor made for the last row of a page even after that row is deleted', async () => {
    const t = createOpenCommentApp()
    const ids: number[] = []
    for (let i = 0; i < 4; i++) {
      ids.push(await published(t, `x${i}`))
      t.clock.advance(1000)
    }
    const first = await t.listOk({ limit: '2' })
    const last = first.comments[1] as CommentView
    await t.admin('DELETE', `/api/admin/comments/${last.id}`)
    const second = await t.listOk({ limit: '2', cursor: first.nextCursor! })
    expect(second.comments.map((c) => c.id)).toEqual([ids[1], ids[0]])
    expect(encodeCursor('newest', { key: 1, id: 1 })).not.toContain('=')
  })
})
