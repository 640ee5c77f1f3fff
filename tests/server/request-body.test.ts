import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../server/middleware/json-body.ts'
import { createTestApp, expectError, newVoter, paddedVoteBody, streamOf, type Body, type TestApp } from './helpers.ts'

/** Posts a raw body to a fresh poll's votes as a reader with a token. */
async function postVote(t: TestApp, body: Body | null, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const poll = await t.createPoll()
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers: { 'X-Voxpop-Voter': newVoter(), ...headers }, body }
  if (body instanceof ReadableStream) init.duplex = 'half'
  const res = await t.request(`/api/polls/${poll.id}/votes`, init)
  return { res, poll }
}

async function expectNothingCounted(t: TestApp, pollId: string) {
  const { results } = await t.adminView(pollId)
  expect(results.totalVoters).toBe(0)
  expect(t.db.prepare('SELECT count(*) AS n FROM votes').get()).toEqual({ n: 0 })
}

describe('request bodies on writes', () => {
  describe('400 invalid_json', () => {
    it.each<[string, Body]>([
      ['truncated JSON', '{"options":['],
      ['a trailing comma', '{"options":["a",]}'],
      ['single quotes', "{'options':['a']}"],
      ['an empty body', ''],
      ['only whitespace', '   \n'],
      ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x6f, 0xff, 0xfe, 0x22, 0x7d])],
      ['a lone UTF-8 continuation byte inside a string', new Uint8Array([...new TextEncoder().encode('{"options":["'), 0x80, ...new TextEncoder().encode('"]}')])],
    ])('answers 400 invalid_json to %s', async (_, body) => {
      const t = createTestApp()
      const { res, poll } = await postVote(t, body)
      await expectError(res, 400, 'invalid_json')
      await expectNothingCounted(t, poll.id)
    })

    it('reads each body on its own: a body cut inside a character leaves nothing behind for the next', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ options: ['Ấp', 'Bản'] })
      const cut = new TextEncoder().encode('{"options":["ấ')
      const res = await t.request(`/api/polls/${poll.id}/votes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter() },
        body: cut.slice(0, -1),
      })
      await expectError(res, 400, 'invalid_json')
      // Starts with the byte the cut body lacked: alone, it is not UTF-8 either.
      const rest = new Uint8Array([cut.at(-1)!, ...new TextEncoder().encode(`{"options":["${poll.options[0]!.id}"]}`)])
      const again = await t.request(`/api/polls/${poll.id}/votes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter() },
        body: rest,
      })
      await expectError(again, 400, 'invalid_json')
      expect((await t.vote(poll.id, newVoter(), [poll.options[0]!.id])).status).toBe(201)
    })

    it('answers 400 invalid_json on admin routes too', async () => {
      const t = createTestApp()
      const res = await t.request('/api/admin/polls', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await t.signIn()}` },
        body: '{"question":',
      })
      await expectError(res, 400, 'invalid_json')
    })
  })

  describe('415 unsupported_media_type', () => {
    it.each([
      ['text/plain', 'text/plain;charset=UTF-8'],
      ['a form post', 'application/x-www-form-urlencoded'],
      ['multipart form data', 'multipart/form-data; boundary=x'],
      ['a JSON-looking but different type', 'application/jsonp'],
    ])('answers 415 to %s', async (_, type) => {
      const t = createTestApp()
      const { res, poll } = await postVote(t, '{"options":[]}', { 'Content-Type': type })
      await expectError(res, 415, 'unsupported_media_type')
      await expectNothingCounted(t, poll.id)
    })

    it('answers 415 to a body without a Content-Type', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const init = {
        method: 'POST',
        headers: { 'X-Voxpop-Voter': newVoter() },
        body: new TextEncoder().encode(JSON.stringify({ options: [poll.options[0]!.id] })),
      }
      // A byte body gets no default type (a string would be sent as text/plain).
      expect(new Request('http://localhost/', init).headers.has('content-type')).toBe(false)
      await expectError(await t.request(`/api/polls/${poll.id}/votes`, init), 415, 'unsupported_media_type')
      await expectNothingCounted(t, poll.id)
    })

    it('answers 415 to a form-encoded admin sign-in', async () => {
      const t = createTestApp()
      const res = await t.request('/api/admin/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'password=x',
      })
      await expectError(res, 415, 'unsupported_media_type')
    })

    it('accepts application/json with a charset and in any letter case', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const body = JSON.stringify({ options: [poll.options[0]!.id] })
      const headers = { 'Content-Type': 'Application/JSON; charset=utf-8', 'X-Voxpop-Voter': newVoter() }
      expect((await t.request(`/api/polls/${poll.id}/votes`, { method: 'POST', headers, body })).status).toBe(201)
    })
  })

  describe('413 payload_too_large', () => {
    it('answers 413 to a body over 16 KiB sent with a Content-Length', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const body = paddedVoteBody([poll.options[0]!.id], MAX_BODY_BYTES + 1)
      const res = await t.request(`/api/polls/${poll.id}/votes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), 'X-Voxpop-Voter': newVoter() },
        body,
      })
      await expectError(res, 413, 'payload_too_large')
      await expectNothingCounted(t, poll.id)
    })

    it('answers 413 to a streamed body over 16 KiB without a Content-Length', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const { res } = await postVote(t, streamOf(paddedVoteBody([poll.options[0]!.id], MAX_BODY_BYTES + 1), 1000))
      await expectError(res, 413, 'payload_too_large')
      await expectNothingCounted(t, poll.id)
    })

    it('answers 413 to a streamed body far over the limit', async () => {
      const t = createTestApp()
      const { res } = await postVote(t, streamOf(`{"options":["${'x'.repeat(1024 * 1024)}"]}`, 64 * 1024))
      await expectError(res, 413, 'payload_too_large')
    })

    it('accepts a vote body of exactly 16 KiB, sized or streamed', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ maxVotesPerIp: 100 })
      const body = paddedVoteBody([poll.options[0]!.id], MAX_BODY_BYTES)
      expect(MAX_BODY_BYTES).toBe(16 * 1024)
      const sized = await t.request(`/api/polls/${poll.id}/votes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), 'X-Voxpop-Voter': newVoter() },
        body,
      })
      expect(sized.status).toBe(201)
      const streamed = await t.request(`/api/polls/${poll.id}/votes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter() },
        body: streamOf(body, 1000),
        duplex: 'half',
      } as RequestInit)
      expect(streamed.status).toBe(201)
      expect((await t.adminView(poll.id)).results.totalVoters).toBe(2)
    })

    it('answers 413 to an oversized admin create', async () => {
      const t = createTestApp()
      const res = await t.admin('POST', '/api/admin/polls', { question: 'q'.repeat(MAX_BODY_BYTES), options: ['A', 'B'] })
      await expectError(res, 413, 'payload_too_large')
      expect((await (await t.admin('GET', '/api/admin/polls')).json()) as unknown).toEqual({ polls: [] })
    })
  })
})
