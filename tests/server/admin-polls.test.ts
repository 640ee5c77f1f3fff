import { describe, expect, it } from 'vitest'
import { SESSION_TTL_MS } from '../../server/db/sessions.ts'
import type { AdminPollView } from '../../server/types.ts'
import { ADMIN_PASSWORD, createTestApp, expectError, HOUR, MINUTE, newVoter, T0 } from './helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()

describe('POST /api/admin/session', () => {
  it('answers 200 with a bearer token and its expiry for the right password', async () => {
    const t = createTestApp()
    const res = await t.send('POST', '/api/admin/session', { password: ADMIN_PASSWORD })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { token: string; expiresAt: string }
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token'])
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{32,}$/)
    expect(body.expiresAt).toBe(iso(T0 + SESSION_TTL_MS))
  })

  it.each([
    ['a wrong password', { password: 'wrong' }],
    ['the password with different case', { password: ADMIN_PASSWORD.toUpperCase() }],
    ['the password with a trailing space', { password: `${ADMIN_PASSWORD} ` }],
    ['an empty password', { password: '' }],
  ])('answers 401 invalid_credentials to %s', async (_, body) => {
    const t = createTestApp()
    await expectError(await t.send('POST', '/api/admin/session', body), 401, 'invalid_credentials')
  })

  it('stores only a hash of the session token', async () => {
    const t = createTestApp()
    const token = await t.signIn()
    const rows = t.db.prepare('SELECT token_hash FROM admin_sessions').all() as { token_hash: string }[]
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token_hash).not.toContain(token)
  })

  it('answers 401 admin_disabled to sign-in and admin routes when no admin password is configured', async () => {
    const t = createTestApp({ env: { VOXPOP_ADMIN_PASSWORD: undefined } })
    await expectError(await t.send('POST', '/api/admin/session', { password: '' }), 401, 'admin_disabled')
    await expectError(await t.send('POST', '/api/admin/session', { password: ADMIN_PASSWORD }), 401, 'admin_disabled')
    await expectError(await t.request('/api/admin/polls', { headers: { Authorization: `Bearer ${'a'.repeat(43)}` } }), 401, 'admin_disabled')
  })
})

describe('admin authentication', () => {
  const routes: [string, string, unknown][] = [
    ['GET', '/api/admin/polls', undefined],
    ['POST', '/api/admin/polls', { question: 'Q?', options: ['A', 'B'] }],
    ['GET', '/api/admin/polls/POLL', undefined],
    ['PATCH', '/api/admin/polls/POLL', { question: 'Changed?' }],
    ['DELETE', '/api/admin/polls/POLL', undefined],
  ]

  async function tryRoute(t: ReturnType<typeof createTestApp>, method: string, path: string, body: unknown, authorization?: string) {
    const poll = await t.createPoll()
    const headers: Record<string, string> = authorization ? { Authorization: authorization } : {}
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const res = await t.request(path.replace('POLL', poll.id), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    return { res, poll }
  }

  it.each(routes)('answers 401 to %s %s without a token and changes nothing', async (method, path, body) => {
    const t = createTestApp()
    const { res, poll } = await tryRoute(t, method, path, body)
    await expectError(res, 401, 'unauthorized')
    expect((await t.adminView(poll.id)).question).toBe(poll.question)
    expect(((await (await t.admin('GET', '/api/admin/polls')).json()) as { polls: unknown[] }).polls).toHaveLength(1)
  })

  it.each(routes)('answers 401 to %s %s with a token that was never issued', async (method, path, body) => {
    const t = createTestApp()
    const { res } = await tryRoute(t, method, path, body, `Bearer ${'x'.repeat(43)}`)
    await expectError(res, 401, 'unauthorized')
  })

  it.each([
    ['the password as a bearer token', `Bearer ${ADMIN_PASSWORD}`],
    ['a Basic header', `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`],
    ['a bare token without the scheme', 'x'.repeat(43)],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 to %s', async (_, authorization) => {
    const t = createTestApp()
    await expectError(await t.request('/api/admin/polls', { headers: { Authorization: authorization } }), 401, 'unauthorized')
  })

  it('answers 401 once the session has expired', async () => {
    const t = createTestApp()
    const token = await t.signIn()
    const list = () => t.request('/api/admin/polls', { headers: { Authorization: `Bearer ${token}` } })
    t.clock.advance(SESSION_TTL_MS - 1)
    expect((await list()).status).toBe(200)
    t.clock.advance(1)
    await expectError(await list(), 401, 'unauthorized')
  })

  it('answers 401 after sign-out with the same token', async () => {
    const t = createTestApp()
    const token = await t.signIn()
    const auth = { Authorization: `Bearer ${token}` }
    expect((await t.request('/api/admin/session', { method: 'DELETE', headers: auth })).status).toBe(204)
    await expectError(await t.request('/api/admin/polls', { headers: auth }), 401, 'unauthorized')
  })
})

describe('POST /api/admin/polls', () => {
  it('creates a single-choice poll, open now, never closing, results after vote, by default', async () => {
    const t = createTestApp()
    const res = await t.admin('POST', '/api/admin/polls', { question: '  Bạn có ủng hộ phố đi bộ?  ', options: [' Có ', 'Không'] })
    expect(res.status).toBe(201)
    const poll = (await res.json()) as AdminPollView
    expect(poll).toMatchObject({
      question: 'Bạn có ủng hộ phố đi bộ?',
      options: [{ label: 'Có' }, { label: 'Không' }],
      multiple: false,
      maxChoices: 1,
      status: 'open',
      opensAt: iso(T0),
      closesAt: null,
      resultsVisibility: 'after_vote',
      myVote: null,
      flaggedVotes: 0,
      results: { totalVotes: 0, totalVoters: 0 },
    })
    expect(poll.id).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(new Set(poll.options.map((o) => o.id)).size).toBe(2)
    expect(poll.results.options).toEqual(poll.options.map((o) => ({ id: o.id, votes: 0, percent: 0 })))
    expect(await t.adminView(poll.id)).toEqual(poll)
  })

  it('keeps the given settings', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({
      options: ['A', 'B', 'C', 'D'],
      multiple: true,
      maxChoices: 3,
      opensAt: '2025-06-02T00:00:00Z',
      closesAt: '2025-06-09T07:00:00+07:00',
      resultsVisibility: 'always',
    })
    expect(poll).toMatchObject({
      multiple: true,
      maxChoices: 3,
      opensAt: '2025-06-02T00:00:00.000Z',
      closesAt: '2025-06-09T00:00:00.000Z',
      resultsVisibility: 'always',
      status: 'upcoming',
    })
  })

  it('accepts a poll whose window has already passed (archives, imports)', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ opensAt: '2020-01-01T00:00:00Z', closesAt: '2020-02-01T00:00:00Z' })
    expect(poll.status).toBe('closed')
  })

  it('accepts 2 and 20 options', async () => {
    const t = createTestApp()
    expect((await t.createPoll({ options: ['A', 'B'] })).options).toHaveLength(2)
    expect((await t.createPoll({ options: Array.from({ length: 20 }, (_, i) => `Lựa chọn ${i + 1}`) })).options).toHaveLength(20)
  })

  it.each<[string, Record<string, unknown>]>([
    ['an empty question', { question: '' }],
    ['a blank question', { question: ' \n\t ' }],
    ['no question', { question: undefined }],
    ['no options', { options: [] }],
    ['one option', { options: ['Có'] }],
    ['21 options', { options: Array.from({ length: 21 }, (_, i) => `Lựa chọn ${i + 1}`) }],
    ['a blank label', { options: ['Có', '   '] }],
    ['an empty label', { options: ['', 'Không'] }],
    ['duplicate labels', { options: ['Có', 'Không', 'Có'] }],
    ['labels equal once trimmed', { options: ['Có', ' Có '] }],
    ['options not an array', { options: 'Có, Không' }],
    ['an option that is not text', { options: ['Có', 2] }],
    ['opensAt after closesAt', { opensAt: '2025-06-02T00:00:00Z', closesAt: '2025-06-01T00:00:00Z' }],
    ['an opensAt that is not a date', { opensAt: 'tomorrow' }],
    ['an unknown results visibility', { resultsVisibility: 'never' }],
    ['maxChoices above 1 on a single-choice poll', { maxChoices: 2 }],
    ['maxChoices above the number of options', { multiple: true, maxChoices: 3 }],
    ['maxChoices of 0', { multiple: true, maxChoices: 0 }],
  ])('answers 400 invalid_poll to %s', async (_, change) => {
    const t = createTestApp()
    const res = await t.admin('POST', '/api/admin/polls', { question: 'Câu hỏi?', options: ['Có', 'Không'], ...change })
    await expectError(res, 400, 'invalid_poll')
    expect((await (await t.admin('GET', '/api/admin/polls')).json()) as unknown).toEqual({ polls: [] })
  })
})

describe('GET /api/admin/polls', () => {
  it('answers { polls: [] } when there are none', async () => {
    const t = createTestApp()
    const res = await t.admin('GET', '/api/admin/polls')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ polls: [] })
  })

  it('lists every poll newest first, as admin views', async () => {
    const t = createTestApp()
    const first = await t.createPoll({ question: 'Một?' })
    t.clock.advance(MINUTE)
    const second = await t.createPoll({ question: 'Hai?', resultsVisibility: 'after_close' })
    const third = await t.createPoll({ question: 'Ba?' })
    await t.voteAsNewReader(second.id, [second.options[0]!.id])
    const body = (await (await t.admin('GET', '/api/admin/polls')).json()) as { polls: AdminPollView[] }
    expect(Object.keys(body)).toEqual(['polls'])
    expect(body.polls.map((p) => p.id)).toEqual([third.id, second.id, first.id])
    expect(body.polls[1]!.results.totalVoters).toBe(1)
    expect(body.polls[1]!.flaggedVotes).toBe(0)
  })
})

describe('PATCH /api/admin/polls/:id', () => {
  it('relabels options, keeping their ids and votes', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['Có', 'Không'] })
    const [yes, no] = poll.options.map((o) => o.id)
    await t.voteAsNewReader(poll.id, [yes!])
    const res = await t.admin('PATCH', `/api/admin/polls/${poll.id}`, {
      question: 'Bạn có đồng ý?',
      options: [{ id: yes, label: 'Đồng ý' }, { id: no, label: 'Không đồng ý' }],
    })
    expect(res.status).toBe(200)
    const edited = (await res.json()) as AdminPollView
    expect(edited.question).toBe('Bạn có đồng ý?')
    expect(edited.options).toEqual([{ id: yes, label: 'Đồng ý' }, { id: no, label: 'Không đồng ý' }])
    expect(edited.results.options.map((o) => o.votes)).toEqual([1, 0])
    expect((await t.viewPoll(poll.id)).options).toEqual(edited.options)
  })

  it('adds options and reorders existing ones', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['A', 'B'] })
    const [a, b] = poll.options.map((o) => o.id)
    const res = await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { options: [{ id: b, label: 'B' }, 'C', { id: a, label: 'A' }, { label: 'D' }] })
    expect(res.status).toBe(200)
    const edited = (await res.json()) as AdminPollView
    expect(edited.options.map((o) => o.label)).toEqual(['B', 'C', 'A', 'D'])
    expect(edited.options[0]!.id).toBe(b)
    expect(edited.options[2]!.id).toBe(a)
    expect(new Set(edited.options.map((o) => o.id)).size).toBe(4)
    expect((await t.voteAsNewReader(poll.id, [edited.options[1]!.id])).myVote).toEqual([edited.options[1]!.id])
  })

  it('changes settings alone and leaves the options as they were', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['A', 'B', 'C'] })
    const res = await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { closesAt: iso(T0 + HOUR), resultsVisibility: 'always' })
    expect(res.status).toBe(200)
    const edited = (await res.json()) as AdminPollView
    expect(edited).toMatchObject({ closesAt: iso(T0 + HOUR), resultsVisibility: 'always', question: poll.question, options: poll.options })
  })

  it('removes an option nobody chose', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['A', 'B', 'C'] })
    const [a, b, c] = poll.options.map((o) => o.id)
    await t.voteAsNewReader(poll.id, [a!])
    const res = await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { options: [{ id: a, label: 'A' }, { id: c, label: 'C' }] })
    expect(res.status).toBe(200)
    expect(((await res.json()) as AdminPollView).options.map((o) => o.id)).toEqual([a, c])
    await expectError(await t.vote(poll.id, newVoter(), [b!]), 400, 'invalid_choice')
  })

  it('answers 409 option_has_votes when an edit removes an option with votes, and changes nothing', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['A', 'B', 'C'] })
    const [a, b, c] = poll.options.map((o) => o.id)
    await t.voteAsNewReader(poll.id, [b!])
    const res = await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { question: 'Đổi?', options: [{ id: a, label: 'A' }, { id: c, label: 'C' }] })
    await expectError(res, 409, 'option_has_votes')
    const after = await t.adminView(poll.id)
    expect(after.question).toBe(poll.question)
    expect(after.options.map((o) => o.id)).toEqual([a, b, c])
    expect(after.results.options.map((o) => o.votes)).toEqual([0, 1, 0])
  })

  it('answers 400 invalid_poll to an edit that leaves the poll invalid', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['A', 'B'] })
    const [a] = poll.options.map((o) => o.id)
    await expectError(await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { options: [{ id: a, label: 'A' }] }), 400, 'invalid_poll')
    await expectError(await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { question: '' }), 400, 'invalid_poll')
    await expectError(await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { options: ['X', 'x'] }), 400, 'invalid_poll')
    await expectError(await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { opensAt: iso(T0 + 2 * HOUR), closesAt: iso(T0 + HOUR) }), 400, 'invalid_poll')
    await expectError(await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { options: [{ id: 'not-mine', label: 'A' }, 'B'] }), 400, 'invalid_poll')
    expect((await t.adminView(poll.id)).options).toEqual(poll.options)
  })

  it('answers 400 invalid_poll to an edit that names one option twice, and changes nothing', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['A', 'B'] })
    const [a] = poll.options.map((o) => o.id)
    const res = await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { options: [{ id: a, label: 'A' }, { id: a, label: 'Z' }] })
    await expectError(res, 400, 'invalid_poll')
    expect((await t.adminView(poll.id)).options).toEqual(poll.options)
  })

  it('answers 404 poll_not_found for an unknown poll', async () => {
    const t = createTestApp()
    await expectError(await t.admin('PATCH', '/api/admin/polls/nope', { question: 'Q?' }), 404, 'poll_not_found')
  })
})

describe('DELETE /api/admin/polls/:id', () => {
  it('deletes the poll with its votes; it then answers 404 everywhere', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const keep = await t.createPoll()
    const voter = newVoter()
    await t.vote(poll.id, voter, [poll.options[0]!.id])
    await t.vote(keep.id, voter, [keep.options[0]!.id])
    const res = await t.admin('DELETE', `/api/admin/polls/${poll.id}`)
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    await expectError(await t.getPoll(poll.id, voter), 404, 'poll_not_found')
    await expectError(await t.vote(poll.id, newVoter(), [poll.options[0]!.id]), 404, 'poll_not_found')
    await expectError(await t.admin('GET', `/api/admin/polls/${poll.id}`), 404, 'poll_not_found')
    await expectError(await t.admin('DELETE', `/api/admin/polls/${poll.id}`), 404, 'poll_not_found')
    expect(t.db.prepare('SELECT count(*) AS n FROM votes WHERE poll_id = ?').get(poll.id)).toEqual({ n: 0 })
    expect(t.db.prepare('SELECT count(*) AS n FROM poll_options WHERE poll_id = ?').get(poll.id)).toEqual({ n: 0 })
    expect((await t.viewPoll(keep.id, voter)).myVote).toEqual([keep.options[0]!.id])
  })
})
