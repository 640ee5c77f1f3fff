import { describe, expect, it } from 'vitest'
import type { PollView } from '../../server/types.ts'
import { createTestApp, expectError, HOUR, newVoter, T0 } from './helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()

describe('POST /api/polls/:id/votes', () => {
  it('answers 201 with the poll view, the reader’s choice and the counts', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['Có', 'Không', 'Chưa biết'] })
    const [yes, no, unsure] = poll.options.map((o) => o.id)
    const res = await t.vote(poll.id, newVoter(), [no!])
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await res.json()) as PollView
    expect(body).toEqual({
      id: poll.id,
      question: poll.question,
      options: poll.options,
      multiple: false,
      maxChoices: 1,
      status: 'open',
      opensAt: iso(T0),
      closesAt: null,
      resultsVisibility: 'after_vote',
      myVote: [no],
      results: {
        totalVotes: 1,
        totalVoters: 1,
        options: [
          { id: yes, votes: 0, percent: 0 },
          { id: no, votes: 1, percent: 100 },
          { id: unsure, votes: 0, percent: 0 },
        ],
      },
    })
  })

  it('answers 409 to a second vote from the same reader, with the poll as that reader sees it', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const [a, b] = poll.options.map((o) => o.id)
    const voter = newVoter()
    expect((await t.vote(poll.id, voter, [a!])).status).toBe(201)
    const res = await t.vote(poll.id, voter, [b!])
    const body = (await expectError(res, 409, 'already_voted')) as { poll: PollView }
    expect(body.poll).toEqual(await t.viewPoll(poll.id, voter))
    expect(body.poll.myVote).toEqual([a])
    expect(body.poll.results?.totalVoters).toBe(1)
    expect(body.poll.results?.options.map((o) => o.votes)).toEqual([1, 0])
  })

  it('answers 409 to the same reader even when the ballot is identical (a double click)', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const voter = newVoter()
    const choice = [poll.options[0]!.id]
    expect((await t.vote(poll.id, voter, choice)).status).toBe(201)
    await expectError(await t.vote(poll.id, voter, choice), 409, 'already_voted')
    expect((await t.adminView(poll.id)).results.totalVoters).toBe(1)
  })

  it('counts 50 concurrent identical submissions from one reader exactly once', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const voter = newVoter()
    const choice = [poll.options[1]!.id]
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.vote(poll.id, voter, choice)))
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(49)
    for (const res of answers.filter((r) => r.status === 409)) await expectError(res, 409, 'already_voted')
    const { results } = await t.adminView(poll.id)
    expect(results.totalVoters).toBe(1)
    expect(results.totalVotes).toBe(1)
    expect(results.options.map((o) => o.votes)).toEqual([0, 1])
    expect(t.db.prepare('SELECT count(*) AS n FROM votes').get()).toEqual({ n: 1 })
  }, 30_000)

  it('counts 50 concurrent votes from 50 different readers 50 times', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ maxVotesPerIp: 1000 })
    const choice = [poll.options[0]!.id]
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.vote(poll.id, newVoter(), choice)))
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(201))
    const { results } = await t.adminView(poll.id)
    expect(results.totalVoters).toBe(50)
    expect(results.options[0]!.votes).toBe(50)
  }, 30_000)

  it('answers each of many votes committed together with that reader’s own choice and the counts after the commit', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ maxVotesPerIp: 1000, options: ['A', 'B', 'C'] })
    const choices = Array.from({ length: 30 }, (_, i) => [poll.options[i % 3]!.id])
    // Sent together, so they share one batch (one commit), whose answers are made once per choice.
    const answers = await Promise.all(choices.map((choice) => t.vote(poll.id, newVoter(), choice)))
    const views = await Promise.all(answers.map(async (r) => ({ status: r.status, type: r.headers.get('content-type'), view: (await r.json()) as PollView })))
    views.forEach(({ status, type, view }, i) => {
      expect(status).toBe(201)
      expect(type).toMatch(/^application\/json/)
      expect(view.myVote).toEqual(choices[i])
    })
    const totals = views.map(({ view }) => view.results!.totalVoters)
    // Every answer shows at least its own ballot counted, and the last ones all thirty.
    expect(Math.min(...totals)).toBeGreaterThanOrEqual(1)
    expect(Math.max(...totals)).toBe(30)
    expect(views.at(-1)!.view.results!.options.map((o) => o.votes)).toEqual([10, 10, 10])
  }, 30_000)

  it('keeps one reader’s vote separate in each poll', async () => {
    const t = createTestApp()
    const first = await t.createPoll()
    const second = await t.createPoll()
    const voter = newVoter()
    expect((await t.vote(first.id, voter, [first.options[0]!.id])).status).toBe(201)
    expect((await t.vote(second.id, voter, [second.options[1]!.id])).status).toBe(201)
    expect((await t.viewPoll(first.id, voter)).myVote).toEqual([first.options[0]!.id])
    expect((await t.viewPoll(second.id, voter)).myVote).toEqual([second.options[1]!.id])
  })

  it('answers 404 poll_not_found for an unknown poll', async () => {
    const t = createTestApp()
    await expectError(await t.vote('no-such-poll', newVoter(), ['x']), 404, 'poll_not_found')
  })

  describe('voter token', () => {
    it('answers 400 voter_required without an X-Voxpop-Voter header', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const res = await t.send('POST', `/api/polls/${poll.id}/votes`, { options: [poll.options[0]!.id] })
      await expectError(res, 400, 'voter_required')
      expect((await t.adminView(poll.id)).results.totalVoters).toBe(0)
    })

    it.each([
      ['empty', ''],
      ['too short (21 characters, under 128 bits)', 'a'.repeat(21)],
      ['not base64url', `${'a'.repeat(21)}+/`],
      ['padded base64', `${'a'.repeat(22)}==`],
      ['containing a space', `${'a'.repeat(11)} ${'a'.repeat(11)}`],
      ['absurdly long', 'a'.repeat(1000)],
    ])('answers 400 voter_required to a malformed token: %s', async (_, token) => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const res = await t.send('POST', `/api/polls/${poll.id}/votes`, { options: [poll.options[0]!.id] }, { 'X-Voxpop-Voter': token })
      await expectError(res, 400, 'voter_required')
      expect((await t.adminView(poll.id)).results.totalVoters).toBe(0)
    })

    it('accepts a 22-character base64url token (128 bits)', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      expect((await t.vote(poll.id, 'Ab0_-'.repeat(4) + 'zz', [poll.options[0]!.id])).status).toBe(201)
    })
  })

  describe('choices', () => {
    type Ids = { ids: string[]; otherPollOption: string }
    it.each<[string, (p: Ids) => unknown]>([
      ['an unknown option', () => ({ options: ['not-an-option'] })],
      ['an option of another poll', ({ otherPollOption }) => ({ options: [otherPollOption] })],
      ['the same option twice', ({ ids }) => ({ options: [ids[0], ids[0]] })],
      ['no option at all', () => ({ options: [] })],
      ['several options on a single-choice poll', ({ ids }) => ({ options: [ids[0], ids[1]] })],
      ['options as a string', ({ ids }) => ({ options: ids[0] })],
      ['options as an object', ({ ids }) => ({ options: { 0: ids[0] } })],
      ['options as numbers', () => ({ options: [1] })],
      ['options null', () => ({ options: null })],
      ['no options key', () => ({ choice: 'x' })],
    ])('answers 400 invalid_choice to %s', async (_, body) => {
      const t = createTestApp()
      const poll = await t.createPoll({ options: ['A', 'B', 'C'] })
      const other = await t.createPoll()
      const payload = body({ ids: poll.options.map((o) => o.id), otherPollOption: other.options[0]!.id })
      const res = await t.send('POST', `/api/polls/${poll.id}/votes`, payload, { 'X-Voxpop-Voter': newVoter() })
      await expectError(res, 400, 'invalid_choice')
      const { results } = await t.adminView(poll.id)
      expect(results.totalVoters).toBe(0)
      expect(results.totalVotes).toBe(0)
    })

    it('lets a reader whose ballot was refused vote again with a valid one', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const voter = newVoter()
      await expectError(await t.vote(poll.id, voter, []), 400, 'invalid_choice')
      expect((await t.vote(poll.id, voter, [poll.options[0]!.id])).status).toBe(201)
    })
  })

  describe('multiple-choice polls', () => {
    it('accepts up to maxChoices options and answers 400 invalid_choice to one more', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ options: ['A', 'B', 'C', 'D'], multiple: true, maxChoices: 2 })
      const [a, b, c] = poll.options.map((o) => o.id)
      await expectError(await t.vote(poll.id, newVoter(), [a!, b!, c!]), 400, 'invalid_choice')
      expect((await t.vote(poll.id, newVoter(), [a!, b!])).status).toBe(201)
      expect((await t.vote(poll.id, newVoter(), [c!])).status).toBe(201)
      expect((await t.adminView(poll.id)).results.totalVoters).toBe(2)
    })

    it('answers 400 invalid_choice to the same option twice, so it cannot be counted twice', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ options: ['A', 'B', 'C'], multiple: true, maxChoices: 3 })
      const [a, b] = poll.options.map((o) => o.id)
      await expectError(await t.vote(poll.id, newVoter(), [a!, a!]), 400, 'invalid_choice')
      await expectError(await t.vote(poll.id, newVoter(), [a!, b!, a!]), 400, 'invalid_choice')
      const { results } = await t.adminView(poll.id)
      expect(results.totalVotes).toBe(0)
      expect(results.options.map((o) => o.votes)).toEqual([0, 0, 0])
    })

    it('lets a reader choose every option when maxChoices is left to its default', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ options: ['A', 'B', 'C'], multiple: true })
      expect(poll.maxChoices).toBe(3)
      expect((await t.vote(poll.id, newVoter(), poll.options.map((o) => o.id))).status).toBe(201)
    })

    it('counts chosen options in totalVotes and readers in totalVoters', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ options: ['A', 'B', 'C'], multiple: true, maxChoices: 3, resultsVisibility: 'always' })
      const [a, b, c] = poll.options.map((o) => o.id)
      await t.voteAsNewReader(poll.id, [a!, b!, c!])
      await t.voteAsNewReader(poll.id, [a!, b!])
      const last = await t.voteAsNewReader(poll.id, [a!])
      expect(last.results).toMatchObject({ totalVoters: 3, totalVotes: 6 })
      expect(last.results!.options).toEqual([
        { id: a, votes: 3, percent: 50 },
        { id: b, votes: 2, percent: 33 },
        { id: c, votes: 1, percent: 17 },
      ])
      expect(last.myVote).toEqual([a])
    })

    it('remembers a multiple-choice ballot in the order it was cast', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ options: ['A', 'B', 'C'], multiple: true })
      const [a, , c] = poll.options.map((o) => o.id)
      const voter = newVoter()
      expect((await t.vote(poll.id, voter, [c!, a!])).status).toBe(201)
      expect((await t.viewPoll(poll.id, voter)).myVote).toEqual([c, a])
    })
  })

  describe('open and close times', () => {
    it('answers 403 poll_not_open before the poll opens and accepts votes once it has', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ opensAt: iso(T0 + HOUR), closesAt: iso(T0 + 2 * HOUR) })
      const choice = [poll.options[0]!.id]
      const voter = newVoter()
      expect(poll.status).toBe('upcoming')
      await expectError(await t.vote(poll.id, voter, choice), 403, 'poll_not_open')
      t.clock.advance(HOUR - 1)
      await expectError(await t.vote(poll.id, voter, choice), 403, 'poll_not_open')
      t.clock.advance(1)
      expect((await t.vote(poll.id, voter, choice)).status).toBe(201)
    })

    it('answers 403 poll_closed once closesAt has passed, without a cron job', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ closesAt: iso(T0 + HOUR) })
      const choice = [poll.options[0]!.id]
      expect((await t.vote(poll.id, newVoter(), choice)).status).toBe(201)
      t.clock.advance(HOUR)
      await expectError(await t.vote(poll.id, newVoter(), choice), 403, 'poll_closed')
      expect((await t.adminView(poll.id)).results.totalVoters).toBe(1)
    })

    it('answers 403 poll_closed on a poll created with a window already past', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ opensAt: iso(T0 - 10 * HOUR), closesAt: iso(T0 - 9 * HOUR) })
      expect(poll.status).toBe('closed')
      await expectError(await t.vote(poll.id, newVoter(), [poll.options[0]!.id]), 403, 'poll_closed')
    })

    it('counts nothing more when a reader who voted tries again after the close', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ closesAt: iso(T0 + HOUR) })
      const voter = newVoter()
      expect((await t.vote(poll.id, voter, [poll.options[0]!.id])).status).toBe(201)
      t.clock.advance(2 * HOUR)
      await expectError(await t.vote(poll.id, voter, [poll.options[1]!.id]), 403, 'poll_closed')
      expect((await t.adminView(poll.id)).results.options.map((o) => o.votes)).toEqual([1, 0])
    })
  })
})
