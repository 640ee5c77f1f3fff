import { describe, expect, it } from 'vitest'
import { issueFormToken } from '../../server/lib/signed.ts'
import type { CommentPostResponse } from '../../server/types.ts'
import { CLIENT_IP, DAY, everyStoredValue, expectError, MINUTE, newVoter, SECRET, T0 } from './helpers.ts'
import { createCommentApp, createOpenCommentApp, PAGE, type CommentApp } from './comments-helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()

function storedBody(t: CommentApp, id: number): string {
  return t.db.prepare<[number], { body: string }>('SELECT body FROM comments WHERE id = ?').get(id)!.body
}

describe('POST /api/comments', () => {
  it('answers 201 with the pending comment, an edit token and the end of the edit window', async () => {
    const t = createCommentApp()
    const res = await t.post(newVoter(), { author: 'Lan', body: 'Bài viết hay quá!' })
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await res.json()) as CommentPostResponse
    expect(body).toEqual({
      comment: {
        id: expect.any(Number),
        parentId: null,
        replyTo: null,
        author: 'Lan',
        body: 'Bài viết hay quá!',
        createdAt: iso(T0),
        editedAt: null,
        likes: 0,
        likedByMe: false,
        replies: [],
        status: 'pending',
      },
      status: 'pending',
      editToken: expect.stringMatching(/^\d+\.[A-Za-z0-9_-]{43}$/),
      editableUntil: iso(T0 + 15 * MINUTE),
    })
  })

  it('publishes at once in post moderation, without a status on the comment', async () => {
    const t = createOpenCommentApp()
    const { comment, status } = await t.postOk(newVoter())
    expect(status).toBe('approved')
    expect(comment).not.toHaveProperty('status')
    expect(await t.countOf()).toBe(1)
    expect((await t.listOk()).comments.map((c) => c.id)).toEqual([comment.id])
  })

  it('stores NFD input as NFC and counts characters, not UTF-16 units', async () => {
    const t = createCommentApp({ env: { VOXPOP_MAX_COMMENT_CHARS: '30' } })
    const nfd = 'Tiếng Việt'.normalize('NFD')
    expect(nfd).not.toBe('Tiếng Việt')
    const { comment } = await t.postOk(newVoter(), { body: nfd, author: 'Nguyễn Thị Ánh'.normalize('NFD') })
    expect(comment.body).toBe('Tiếng Việt'.normalize('NFC'))
    expect(comment.author).toBe('Nguyễn Thị Ánh'.normalize('NFC'))
    expect(storedBody(t, comment.id)).toBe('Tiếng Việt'.normalize('NFC'))
    // 30 decomposed "ệ" are 90 UTF-16 units, but 30 characters once composed.
    expect((await t.post(newVoter(), { body: 'ệ'.normalize('NFD').repeat(30) })).status).toBe(201)
    expect((await t.post(newVoter(), { body: '😀'.repeat(30) })).status).toBe(201)
    const tooLong = await expectError(await t.post(newVoter(), { body: 'ệ'.repeat(31) }), 400, 'invalid_comment')
    expect(JSON.stringify(tooLong)).toContain('body: must be at most 30 characters (got 31)')
  })

  it('stores HTML and script payloads exactly and returns them as the same plain string', async () => {
    const t = createOpenCommentApp()
    const payload = [
      '<script>alert(document.cookie)</script>',
      '<img src=x onerror="alert(1)">',
      '"><svg/onload=alert(1)>',
      "'; DROP TABLE comments; --",
      '<a href="javascript:alert(1)">bấm vào đây</a> &lt;b&gt; &amp; &#x3C;',
      '{{constructor.constructor("alert(1)")()}} ${alert(1)} </textarea><iframe src=//evil.example>',
      '\u202Egnp.exe\u202C \u200B zero\u200Dwidth',
    ].join('\n')
    const voter = newVoter()
    const { comment } = await t.postOk(voter, { body: payload, author: '<b>Hacker</b>' })
    expect(comment.body).toBe(payload)
    expect(comment.author).toBe('<b>Hacker</b>')
    expect(storedBody(t, comment.id)).toBe(payload)
    const res = await t.list({}, newVoter())
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const listed = (await res.json()) as { comments: { body: string; author: string }[] }
    expect(listed.comments[0]).toMatchObject({ body: payload, author: '<b>Hacker</b>' })
  })

  it('keeps line breaks (\\r\\n becomes \\n) and inner spacing, trimming only the ends', async () => {
    const t = createCommentApp()
    const { comment } = await t.postOk(newVoter(), { body: '  \r\n dòng 1\r\n\r\n    dòng 2\rdòng 3\t \n ' })
    expect(comment.body).toBe('dòng 1\n\n    dòng 2\ndòng 3')
  })

  it('treats a blank author and email as not given', async () => {
    const t = createCommentApp()
    const { comment } = await t.postOk(newVoter(), { author: '   ', email: '', title: ' ', url: '' })
    expect(comment.author).toBeNull()
    expect(t.db.prepare('SELECT author, email FROM comments').get()).toEqual({ author: null, email: null })
  })

  it.each<[string, Record<string, unknown>, string]>([
    ['no body', { body: undefined }, 'body:'],
    ['a blank body', { body: ' \n\t ' }, 'body: must not be empty'],
    ['a body longer than VOXPOP_MAX_COMMENT_CHARS', { body: 'a'.repeat(5001) }, 'body: must be at most 5000 characters'],
    ['a body that is not a string', { body: ['a'] }, 'body:'],
    ['a body with a NUL character', { body: 'a\u0000b' }, 'body: contains control characters'],
    ['a body with a lone surrogate', { body: 'a\ud800b' }, 'body: contains an invalid character'],
    ['an author of 61 characters', { author: 'ă'.repeat(61) }, 'author: must be at most 60 characters'],
    ['an author with a line break', { author: 'Lan\nAdmin' }, 'author: contains control characters'],
    ['an invalid email', { email: 'lan@' }, 'email: must be a valid email address'],
    ['a javascript: url', { url: 'javascript:alert(1)' }, 'url: must be an http(s) URL'],
    ['an ftp url', { url: 'ftp://bao.example/a' }, 'url: must be an http(s) URL'],
    ['a url over 2000 characters', { url: `https://bao.example/${'a'.repeat(2000)}` }, 'url: must be at most 2000 characters'],
    ['a title over 300 characters', { title: 't'.repeat(301) }, 'title: must be at most 300 characters'],
    ['no page', { page: undefined }, 'page:'],
    ['a blank page', { page: '  ' }, 'page: must not be empty'],
    ['a page key over 500 characters', { page: 'p'.repeat(501) }, 'page: must be at most 500 characters'],
    ['a parentId that is a string', { parentId: '1' }, 'parentId:'],
    ['a negative parentId', { parentId: -1 }, 'parentId:'],
    ['a fractional parentId', { parentId: 1.5 }, 'parentId:'],
  ])('answers 400 invalid_comment naming the field for %s', async (_, input, message) => {
    const t = createCommentApp()
    const body = await expectError(await t.post(newVoter(), input), 400, 'invalid_comment')
    expect((body as { error: { message: string } }).error.message).toContain(message)
    expect(t.db.prepare('SELECT count(*) AS n FROM comments').get()).toEqual({ n: 0 })
  })

  it.each([['an array', '[]'], ['null', 'null'], ['a string', '"bình luận"']])('answers 400 invalid_comment to %s as the body', async (_, raw) => {
    const t = createCommentApp()
    await expectError(await t.send('POST', '/api/comments', raw, { 'X-Voxpop-Voter': newVoter() }), 400, 'invalid_comment')
  })

  it('answers 400 voter_required without a reader token or with a malformed one', async () => {
    const t = createCommentApp()
    await expectError(await t.post(null), 400, 'voter_required')
    const res = await t.send('POST', '/api/comments', { page: PAGE, body: 'x', formToken: t.humanToken() }, { 'X-Voxpop-Voter': 'short' })
    await expectError(res, 400, 'voter_required')
  })

  it('answers 415 to a body that is not JSON and 413 to one over 16 KiB', async () => {
    const t = createCommentApp()
    const voter = { 'X-Voxpop-Voter': newVoter() }
    await expectError(await t.send('POST', '/api/comments', 'page=a&body=b', { ...voter, 'Content-Type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type')
    await expectError(await t.send('POST', '/api/comments', { page: PAGE, body: 'x'.repeat(17 * 1024) }, voter), 413, 'payload_too_large')
    await expectError(await t.send('POST', '/api/comments', '{"page":', voter), 400, 'invalid_json')
  })

  describe('409 duplicate_comment', () => {
    it('answers 409 to the same body from the same reader within 10 minutes, even as NFD or on another page', async () => {
      const t = createCommentApp()
      const voter = newVoter()
      await t.postOk(voter, { body: 'Đồng ý với tác giả' })
      await expectError(await t.post(voter, { body: '  Đồng ý với tác giả'.normalize('NFD') }), 409, 'duplicate_comment')
      await expectError(await t.post(voter, { body: 'Đồng ý với tác giả', page: 'bai-khac' }), 409, 'duplicate_comment')
      t.clock.advance(10 * MINUTE - 1)
      await expectError(await t.post(voter, { body: 'Đồng ý với tác giả' }), 409, 'duplicate_comment')
      expect(t.db.prepare('SELECT count(*) AS n FROM comments').get()).toEqual({ n: 1 })
    })

    it('accepts the same body from another reader, and from the same reader after 10 minutes', async () => {
      const t = createCommentApp()
      const voter = newVoter()
      await t.postOk(voter, { body: 'Đồng ý' })
      await t.postOk(newVoter(), { body: 'Đồng ý' })
      t.clock.advance(10 * MINUTE)
      await t.postOk(voter, { body: 'Đồng ý' })
    })
  })

  describe('replies', () => {
    it('nests a reply to a reply under the same top-level comment, addressed to the replied-to author', async () => {
      const t = createOpenCommentApp()
      const top = await t.postOk(newVoter(), { author: 'Lan', body: 'Gốc' })
      t.clock.advance(1000)
      const first = await t.postOk(newVoter(), { author: 'Minh', body: 'Trả lời Lan', parentId: top.comment.id })
      t.clock.advance(1000)
      const second = await t.postOk(newVoter(), { author: 'Hoa', body: 'Trả lời Minh', parentId: first.comment.id })
      t.clock.advance(1000)
      const third = await t.postOk(newVoter(), { body: 'Trả lời Hoa', parentId: second.comment.id })
      t.clock.advance(1000)
      const toGuest = await t.postOk(newVoter(), { body: 'Trả lời khách', parentId: third.comment.id })
      expect(first.comment).toMatchObject({ parentId: top.comment.id, replyTo: null })
      expect(second.comment).toMatchObject({ parentId: top.comment.id, replyTo: 'Minh' })
      expect(third.comment).toMatchObject({ parentId: top.comment.id, replyTo: 'Hoa' })
      expect(toGuest.comment).toMatchObject({ parentId: top.comment.id, replyTo: null })
      const { comments, total } = await t.listOk()
      expect(total).toBe(5)
      expect(comments).toHaveLength(1)
      expect(comments[0]!.replies.map((r) => [r.body, r.parentId, r.replies])).toEqual([
        ['Trả lời Lan', top.comment.id, []],
        ['Trả lời Minh', top.comment.id, []],
        ['Trả lời Hoa', top.comment.id, []],
        ['Trả lời khách', top.comment.id, []],
      ])
    })

    it('answers 404 thread_not_found for a parent that does not exist, is on another page or is hidden from the reader', async () => {
      const t = createCommentApp()
      const elsewhere = await t.postOk(newVoter(), { page: 'bai-khac' })
      await t.approve(elsewhere.comment.id)
      const othersPending = await t.postOk(newVoter(), { body: 'Chờ duyệt của người khác' })
      const rejected = await t.postOk(newVoter(), { body: 'Bị từ chối' })
      await t.moderate(rejected.comment.id, 'reject')
      const voter = newVoter()
      for (const parentId of [999_999, elsewhere.comment.id, othersPending.comment.id, rejected.comment.id]) {
        const body = await expectError(await t.post(voter, { parentId, body: `trả lời ${parentId}` }), 404, 'thread_not_found')
        expect(JSON.stringify(body)).toContain('parentId')
      }
    })

    it('answers 404 thread_not_found on a page without a thread, and creates none', async () => {
      const t = createCommentApp()
      await expectError(await t.post(newVoter(), { page: 'chua-co', parentId: 1 }), 404, 'thread_not_found')
      expect(t.db.prepare('SELECT count(*) AS n FROM threads').get()).toEqual({ n: 0 })
    })

    it('lets a reader reply to their own pending comment', async () => {
      const t = createCommentApp()
      const voter = newVoter()
      const mine = await t.postOk(voter, { body: 'Của tôi' })
      const reply = await t.postOk(voter, { body: 'Bổ sung', parentId: mine.comment.id })
      expect(reply.comment.parentId).toBe(mine.comment.id)
    })
  })

  describe('spam', () => {
    const cases: [string, (t: CommentApp) => Record<string, unknown>][] = [
      ['the honeypot is filled', () => ({ website: 'https://spam.example' })],
      ['the honeypot holds a non-string', () => ({ website: 1 })],
      ['formToken is missing', () => ({ formToken: undefined })],
      ['formToken is not a string', () => ({ formToken: 1748764800000 })],
      ['formToken is forged', (t) => ({ formToken: t.humanToken().replace(/\.(.)/, (_, ch: string) => `.${ch === 'A' ? 'B' : 'A'}`) })],
      ['formToken was signed with another key', (t) => ({ formToken: issueFormToken('another-secret-0123456789', t.clock.now() - 10_000) })],
      ['formToken is older than a day', (t) => ({ formToken: issueFormToken(SECRET, t.clock.now() - DAY - 1) })],
      ['the comment comes less than 3 s after its formToken', (t) => ({ formToken: issueFormToken(SECRET, t.clock.now() - 2999) })],
      ['formToken is from the future', (t) => ({ formToken: issueFormToken(SECRET, t.clock.now() + MINUTE) })],
    ]

    it.each(cases)('answers 201 "pending" when %s, hides it from readers and shows it to admins as spam', async (_, input) => {
      const t = createOpenCommentApp()
      const voter = newVoter()
      const res = await t.post(voter, { body: 'Mua thuốc giá rẻ', ...input(t) })
      expect(res.status).toBe(201)
      const body = (await res.json()) as CommentPostResponse
      expect(body).toEqual({
        comment: expect.objectContaining({ body: 'Mua thuốc giá rẻ', status: 'pending' }),
        status: 'pending',
        editToken: expect.stringMatching(/^\d+\.[A-Za-z0-9_-]{43}$/),
        editableUntil: iso(T0 + 15 * MINUTE),
      })
      expect((await t.listOk({}, newVoter())).comments).toEqual([])
      expect(await t.countOf()).toBe(0)
      const spam = await t.queue({ status: 'spam' })
      expect(spam.comments.map((c) => [c.id, c.status])).toEqual([[body.comment.id, 'spam']])
      expect((await t.queue({ status: 'pending' })).comments).toEqual([])
    })

    it('accepts a comment sent 3 s or more after the form token from GET /api/comments', async () => {
      const t = createOpenCommentApp()
      const { formToken } = await t.listOk()
      t.clock.advance(2999)
      expect((await t.postOk(newVoter(), { formToken, body: 'nhanh quá' })).status).toBe('pending')
      t.clock.advance(1)
      expect((await t.postOk(newVoter(), { formToken, body: 'vừa đủ' })).status).toBe('approved')
      t.clock.advance(DAY - 3000)
      expect((await t.postOk(newVoter(), { formToken, body: 'vẫn trong ngày' })).status).toBe('approved')
      expect((await t.queue({ status: 'spam' })).comments.map((c) => c.body)).toEqual(['nhanh quá'])
    })

    it('shows a spam comment to its own author as pending, like any held comment', async () => {
      const t = createCommentApp()
      const voter = newVoter()
      const spam = await t.postOk(voter, { website: 'x' })
      const list = await t.listOk({}, voter)
      expect(list.comments).toEqual([spam.comment])
    })
  })

  describe('links', () => {
    it('holds a comment with more than 3 links for moderation even in post mode', async () => {
      const t = createOpenCommentApp()
      const three = 'Xem http://a.example, https://b.example/x?y=1 và HTTPS://C.EXAMPLE'
      expect((await t.postOk(newVoter(), { body: three })).status).toBe('approved')
      const four = `${three} cả https://d.example nữa`
      const held = await t.postOk(newVoter(), { body: four })
      expect(held.status).toBe('pending')
      expect((await t.queue({ status: 'pending' })).comments.map((c) => c.id)).toEqual([held.comment.id])
      expect(await t.countOf()).toBe(1)
    })
  })

  describe('privacy', () => {
    it('never returns the email in a public response, while admins see it', async () => {
      const t = createOpenCommentApp()
      const voter = newVoter()
      const email = 'lan.nguyen+binhluan@example.com'
      const texts: string[] = []
      const res = await t.post(voter, { email, author: 'Lan' })
      texts.push(await res.clone().text())
      const { comment, editToken } = (await res.json()) as CommentPostResponse
      const reply = await t.post(newVoter(), { email, parentId: comment.id, body: 'trả lời' })
      texts.push(await reply.text())
      for (const who of [voter, newVoter(), undefined]) {
        for (const sort of ['newest', 'oldest', 'top']) texts.push(await (await t.list({ sort }, who)).text())
      }
      texts.push(await (await t.like(comment.id, voter)).text())
      texts.push(await (await t.edit(comment.id, editToken, 'đã sửa')).text())
      texts.push(await (await t.counts([PAGE])).text())
      expect(texts).toHaveLength(14)
      for (const text of texts) {
        expect(text).not.toContain('lan.nguyen')
        expect(text).not.toContain('example.com')
        expect(text).not.toContain('"email"')
      }
      const admin = await t.queue({ status: 'all' })
      expect(admin.comments.map((c) => c.email)).toEqual([email, email])
    })

    it('stores neither the reader token nor the client address', async () => {
      const t = createCommentApp()
      const voter = newVoter()
      const { comment } = await t.postOk(voter)
      await t.approve(comment.id)
      await t.like(comment.id, voter)
      const values = everyStoredValue(t.db).map((v) => v.value)
      expect(values.some((v) => v.includes(voter))).toBe(false)
      expect(values.some((v) => v.includes(CLIENT_IP))).toBe(false)
    })
  })
})

describe('POST /api/comments arriving together', () => {
  it('stores each of many concurrent comments once, and answers each on its own (a duplicate or a bad parent fails alone)', async () => {
    const t = createOpenCommentApp()
    const repeat = newVoter()
    const sent = [
      ...Array.from({ length: 30 }, (_, i) => t.post(newVoter(), { body: `Ý kiến thứ ${i} về con đường liên xã.` })),
      t.post(repeat, { body: 'Cùng một ý kiến gửi hai lần.' }),
      t.post(repeat, { body: 'Cùng một ý kiến gửi hai lần.' }),
      t.post(newVoter(), { body: 'Trả lời một bình luận không có.', parentId: 999_999 }),
    ]
    const answers = await Promise.all(sent)
    const statuses = answers.map((r) => r.status)
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(201))
    expect(statuses.slice(30, 32).sort()).toEqual([201, 409])
    await expectError(answers[32]!, 404, 'thread_not_found')
    const ids = await Promise.all(answers.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as CommentPostResponse).comment.id))
    expect(new Set(ids).size).toBe(31)
    expect((await t.listOk({ limit: '50' })).total).toBe(31)
    expect(t.db.prepare('SELECT count(*) AS n FROM comments').get()).toEqual({ n: 31 })
  })
})
