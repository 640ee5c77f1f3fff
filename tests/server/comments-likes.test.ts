import { describe, expect, it } from 'vitest'
import { expectError, newVoter } from './helpers.ts'
import { createCommentApp, createOpenCommentApp } from './comments-helpers.ts'

describe('PUT and DELETE /api/comments/:id/like', () => {
  it('likes once per reader: a repeat changes nothing, an unlike takes it back', async () => {
    const t = createOpenCommentApp()
    const { comment } = await t.postOk(newVoter())
    const fan = newVoter()
    for (const [method, expected] of [
      ['PUT', { likes: 1, likedByMe: true }],
      ['PUT', { likes: 1, likedByMe: true }],
      ['DELETE', { likes: 0, likedByMe: false }],
      ['DELETE', { likes: 0, likedByMe: false }],
      ['PUT', { likes: 1, likedByMe: true }],
    ] as const) {
      const res = await t.like(comment.id, fan, method)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual(expected)
    }
    expect(await (await t.like(comment.id, newVoter())).json()).toEqual({ likes: 2, likedByMe: true })
  })

  it('counts one like for many concurrent likes from one reader', async () => {
    const t = createOpenCommentApp()
    const { comment } = await t.postOk(newVoter())
    const fan = newVoter()
    const answers = await Promise.all(Array.from({ length: 30 }, () => t.like(comment.id, fan)))
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200))
    for (const res of answers) expect(await res.json()).toEqual({ likes: 1, likedByMe: true })
    expect((await t.listOk({}, fan)).comments[0]).toMatchObject({ likes: 1, likedByMe: true })
    expect(t.db.prepare('SELECT count(*) AS n FROM comment_likes').get()).toEqual({ n: 1 })
  })

  it('counts 20 likes from 20 concurrent readers, and keeps the count right through concurrent unlikes', async () => {
    const t = createOpenCommentApp()
    const { comment } = await t.postOk(newVoter())
    const fans = Array.from({ length: 20 }, newVoter)
    const liked = await Promise.all(fans.map((fan) => t.like(comment.id, fan)))
    const counts = await Promise.all(liked.map(async (r) => ((await r.json()) as { likes: number }).likes))
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect((await t.listOk()).comments[0]!.likes).toBe(20)
    await Promise.all([...fans.slice(0, 5).map((fan) => t.like(comment.id, fan, 'DELETE')), ...fans.map((fan) => t.like(comment.id, fan))])
    const { likes } = (await t.listOk()).comments[0]!
    const rows = t.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM comment_likes WHERE comment_id = ?').get(comment.id)!.n
    expect(likes).toBe(rows)
    expect(likes).toBeGreaterThanOrEqual(15)
  })

  it('answers 404 comment_not_found for an unknown, pending, spam or deleted comment', async () => {
    const t = createCommentApp()
    const pending = await t.postOk(newVoter(), { body: 'chờ' })
    const spam = await t.postOk(newVoter(), { body: 'rác', website: 'x' })
    const gone = await t.postOk(newVoter(), { body: 'xoá' })
    await t.approve(gone.comment.id)
    await t.remove(gone.comment.id, gone.editToken)
    for (const id of [999, pending.comment.id, spam.comment.id, gone.comment.id, 'abc', '0']) {
      await expectError(await t.like(id, newVoter()), 404, 'comment_not_found')
      await expectError(await t.like(id, newVoter(), 'DELETE'), 404, 'comment_not_found')
    }
  })

  it('answers 400 voter_required without a reader token', async () => {
    const t = createOpenCommentApp()
    const { comment } = await t.postOk(newVoter())
    await expectError(await t.like(comment.id, null), 400, 'voter_required')
    await expectError(await t.like(comment.id, null, 'DELETE'), 400, 'voter_required')
  })

  it('keeps likes through moderation round-trips but refuses them while the comment is hidden', async () => {
    const t = createOpenCommentApp()
    const { comment } = await t.postOk(newVoter())
    const fan = newVoter()
    await t.like(comment.id, fan)
    await t.moderate(comment.id, 'reject')
    await expectError(await t.like(comment.id, fan, 'DELETE'), 404, 'comment_not_found')
    await t.approve(comment.id)
    expect(await (await t.like(comment.id, fan)).json()).toEqual({ likes: 1, likedByMe: true })
  })
})
