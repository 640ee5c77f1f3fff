import { describe, expect, it } from 'vitest'
import { issueEditToken } from '../../server/lib/signed.ts'
import { expectError, MINUTE, newVoter, SECRET, T0 } from './helpers.ts'
import { createCommentApp, createOpenCommentApp } from './comments-helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()
const WINDOW = 15 * MINUTE

describe('PATCH /api/comments/:id', () => {
  it('edits inside the window: the new body, editedAt, and the same id', async () => {
    const t = createOpenCommentApp()
    const voter = newVoter()
    const { comment, editToken, editableUntil } = await t.postOk(voter, { body: 'Lỗi chính tả' })
    expect(editableUntil).toBe(iso(T0 + WINDOW))
    t.clock.advance(WINDOW - 1)
    const res = await t.edit(comment.id, editToken, '  Đã sửa\r\nlỗi  '.normalize('NFD'))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      comment: { ...comment, body: 'Đã sửa\nlỗi', editedAt: iso(T0 + WINDOW - 1) },
      status: 'approved',
    })
    const listed = (await t.listOk({}, newVoter())).comments[0]!
    expect(listed).toMatchObject({ id: comment.id, body: 'Đã sửa\nlỗi', editedAt: iso(T0 + WINDOW - 1) })
  })

  it('answers 403 edit_window_closed once the window has passed (fake clock)', async () => {
    const t = createOpenCommentApp()
    const { comment, editToken } = await t.postOk(newVoter(), { body: 'Ban đầu' })
    t.clock.advance(WINDOW)
    await expectError(await t.edit(comment.id, editToken, 'Quá muộn'), 403, 'edit_window_closed')
    await expectError(await t.remove(comment.id, editToken), 403, 'edit_window_closed')
    expect((await t.listOk()).comments[0]!.body).toBe('Ban đầu')
  })

  it('follows VOXPOP_EDIT_WINDOW_S', async () => {
    const t = createOpenCommentApp({ env: { VOXPOP_EDIT_WINDOW_S: '60' } })
    const { comment, editToken, editableUntil } = await t.postOk(newVoter())
    expect(editableUntil).toBe(iso(T0 + MINUTE))
    t.clock.advance(MINUTE)
    await expectError(await t.edit(comment.id, editToken, 'muộn'), 403, 'edit_window_closed')
  })

  it.each<[string, (own: string, other: string) => string | undefined]>([
    ['no edit token', () => undefined],
    ['an empty edit token', () => ''],
    ['another comment’s edit token', (_, other) => other],
    ['a token whose expiry was pushed back', (own) => own.replace(/^\d+/, (ms) => String(Number(ms) + 3_600_000))],
    ['a token with a flipped signature', (own) => own.slice(0, -1) + (own.endsWith('A') ? 'B' : 'A')],
    ['a token signed with another key', (own) => issueEditToken('another-secret-0123456789', 1, Number(own.split('.')[0]))],
    ['garbage', () => 'x'.repeat(5000)],
  ])('answers 403 forbidden to %s', async (_, token) => {
    const t = createOpenCommentApp()
    const own = await t.postOk(newVoter(), { body: 'Của tôi' })
    const other = await t.postOk(newVoter(), { body: 'Của người khác' })
    const forged = token(own.editToken, other.editToken)
    await expectError(await t.edit(own.comment.id, forged, 'sửa trộm'), 403, 'forbidden')
    await expectError(await t.remove(own.comment.id, forged), 403, 'forbidden')
    expect((await t.listOk()).comments.map((c) => c.body).sort()).toEqual(['Của người khác', 'Của tôi'])
  })

  it('answers 403 forbidden to a valid token of another comment even after the window', async () => {
    const t = createOpenCommentApp()
    const own = await t.postOk(newVoter(), { body: 'a' })
    const other = await t.postOk(newVoter(), { body: 'b' })
    t.clock.advance(WINDOW * 2)
    await expectError(await t.edit(own.comment.id, other.editToken, 'c'), 403, 'forbidden')
  })

  it('answers 404 comment_not_found for an unknown or malformed id', async () => {
    const t = createOpenCommentApp()
    for (const id of ['999', '0', 'abc', '1e3', '-1', '99999999999999999999']) {
      await expectError(await t.send('PATCH', `/api/comments/${id}`, { body: 'x' }, { 'X-Voxpop-Edit-Token': issueEditToken(SECRET, 999, T0 + WINDOW) }), 404, 'comment_not_found')
    }
  })

  it('answers 400 invalid_comment to a bad body and changes nothing', async () => {
    const t = createOpenCommentApp({ env: { VOXPOP_MAX_COMMENT_CHARS: '10' } })
    const { comment, editToken } = await t.postOk(newVoter(), { body: 'Ban đầu' })
    for (const body of ['   ', 'x'.repeat(11), 42, null]) {
      const error = await expectError(await t.edit(comment.id, editToken, body), 400, 'invalid_comment')
      expect(JSON.stringify(error)).toContain('body:')
    }
    await expectError(await t.send('PATCH', `/api/comments/${comment.id}`, {}, { 'X-Voxpop-Edit-Token': editToken }), 400, 'invalid_comment')
    expect((await t.listOk()).comments[0]!).toMatchObject({ body: 'Ban đầu', editedAt: null })
  })

  it('answers 415 to an edit that is not JSON', async () => {
    const t = createOpenCommentApp()
    const { comment, editToken } = await t.postOk(newVoter())
    const res = await t.send('PATCH', `/api/comments/${comment.id}`, 'body=x', { 'Content-Type': 'text/plain', 'X-Voxpop-Edit-Token': editToken })
    await expectError(res, 415, 'unsupported_media_type')
  })

  it('sends an edited approved comment back to moderation in pre mode, keeping the count exact', async () => {
    const t = createCommentApp()
    const author = newVoter()
    const { comment, editToken } = await t.postOk(author, { body: 'Được duyệt' })
    await t.approve(comment.id)
    expect(await t.countOf()).toBe(1)
    const edited = await t.editOk(comment.id, editToken, 'Nội dung khác')
    expect(edited.status).toBe('pending')
    expect(edited.comment.status).toBe('pending')
    expect(await t.countOf()).toBe(0)
    expect((await t.listOk({}, newVoter())).comments).toEqual([])
    expect((await t.listOk({}, author)).comments.map((c) => [c.body, c.status])).toEqual([['Nội dung khác', 'pending']])
    await t.approve(comment.id)
    expect(await t.countOf()).toBe(1)
  })

  it('keeps an unchanged edit from sending an approved comment back to moderation', async () => {
    const t = createCommentApp()
    const { comment, editToken } = await t.postOk(newVoter(), { body: 'Giữ nguyên' })
    await t.approve(comment.id)
    expect((await t.editOk(comment.id, editToken, ' Giữ nguyên ')).status).toBe('approved')
    expect(await t.countOf()).toBe(1)
  })

  it('keeps an edited comment published in post mode unless it now has more than 3 links', async () => {
    const t = createOpenCommentApp()
    const { comment, editToken } = await t.postOk(newVoter(), { body: 'Bản đầu' })
    expect((await t.editOk(comment.id, editToken, 'Bản hai, https://a.example')).status).toBe('approved')
    expect(await t.countOf()).toBe(1)
    const links = 'https://a.example https://b.example https://c.example https://d.example'
    expect((await t.editOk(comment.id, editToken, links)).status).toBe('pending')
    expect(await t.countOf()).toBe(0)
  })

  it('keeps a spam comment spam when edited, answering pending', async () => {
    const t = createOpenCommentApp()
    const { comment, editToken } = await t.postOk(newVoter(), { website: 'bot' })
    expect((await t.editOk(comment.id, editToken, 'Sửa lại')).status).toBe('pending')
    expect((await t.queue({ status: 'spam' })).comments.map((c) => c.body)).toEqual(['Sửa lại'])
  })

  it('answers 404 comment_not_found for a comment an editor rejected', async () => {
    const t = createCommentApp()
    const { comment, editToken } = await t.postOk(newVoter())
    await t.moderate(comment.id, 'reject')
    await expectError(await t.edit(comment.id, editToken, 'sửa'), 404, 'comment_not_found')
  })
})

describe('DELETE /api/comments/:id', () => {
  it('answers 204 and removes the comment, its likes and its count', async () => {
    const t = createOpenCommentApp()
    const { comment, editToken } = await t.postOk(newVoter())
    await t.like(comment.id, newVoter())
    expect(await t.countOf()).toBe(1)
    const res = await t.remove(comment.id, editToken)
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(await t.listOk()).toMatchObject({ comments: [], total: 0 })
    expect(t.db.prepare('SELECT (SELECT count(*) FROM comments) AS c, (SELECT count(*) FROM comment_likes) AS l').get()).toEqual({ c: 0, l: 0 })
    await expectError(await t.remove(comment.id, editToken), 404, 'comment_not_found')
  })

  it('keeps a placeholder when the comment has replies, and answers 404 to a second delete', async () => {
    const t = createOpenCommentApp()
    const top = await t.postOk(newVoter(), { author: 'Lan', email: 'lan@example.com' })
    await t.postOk(newVoter(), { parentId: top.comment.id, body: 'trả lời' })
    expect(await t.countOf()).toBe(2)
    expect((await t.remove(top.comment.id, top.editToken)).status).toBe(204)
    expect(await t.countOf()).toBe(1)
    expect(t.db.prepare('SELECT status, body, author, email FROM comments WHERE id = ?').get(top.comment.id)).toEqual({
      status: 'deleted',
      body: '',
      author: null,
      email: null,
    })
    await expectError(await t.remove(top.comment.id, top.editToken), 404, 'comment_not_found')
    await expectError(await t.edit(top.comment.id, top.editToken, 'hồi sinh'), 404, 'comment_not_found')
  })

  it('lets an author delete a pending comment without touching the count', async () => {
    const t = createCommentApp()
    const other = await t.postOk(newVoter(), { body: 'khác' })
    await t.approve(other.comment.id)
    const { comment, editToken } = await t.postOk(newVoter())
    expect((await t.remove(comment.id, editToken)).status).toBe(204)
    expect(await t.countOf()).toBe(1)
  })
})
