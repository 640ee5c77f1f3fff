import { describe, expect, it } from 'vitest'
import type { PollView } from '../../server/types.ts'
import { createTestApp, expectError, HOUR, newVoter, T0, type TestApp } from './helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()

const PUBLIC_KEYS = ['closesAt', 'id', 'maxChoices', 'multiple', 'myVote', 'opensAt', 'options', 'question', 'results', 'resultsVisibility', 'status']

/** Casts `counts[i]` ballots for option i, each from a new reader; returns the option ids. */
async function castSplit(t: TestApp, pollId: string, optionIds: string[], counts: number[]): Promise<void> {
  for (const [i, n] of counts.entries()) {
    for (let k = 0; k < n; k++) await t.voteAsNewReader(pollId, [optionIds[i]!])
  }
}

describe('GET /api/polls/:id', () => {
  it('answers with exactly the public fields, ISO times and no counts for a new reader', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ question: 'Giá xăng tăng ảnh hưởng bạn thế nào?', options: ['Nhiều', 'Ít'], closesAt: iso(T0 + 48 * HOUR) })
    const res = await t.getPoll(poll.id)
    expect(res.status).toBe(200)
    const body = (await res.json()) as PollView
    expect(Object.keys(body).sort()).toEqual(PUBLIC_KEYS)
    expect(body).toEqual({
      id: poll.id,
      question: 'Giá xăng tăng ảnh hưởng bạn thế nào?',
      options: [
        { id: poll.options[0]!.id, label: 'Nhiều' },
        { id: poll.options[1]!.id, label: 'Ít' },
      ],
      multiple: false,
      maxChoices: 1,
      status: 'open',
      opensAt: '2025-06-01T08:00:00.000Z',
      closesAt: '2025-06-03T08:00:00.000Z',
      resultsVisibility: 'after_vote',
      myVote: null,
      results: null,
    })
  })

  it('answers 404 poll_not_found for an unknown id', async () => {
    const t = createTestApp()
    await expectError(await t.getPoll('nope'), 404, 'poll_not_found')
    await expectError(await t.getPoll('nope', newVoter()), 404, 'poll_not_found')
  })

  it('shows a returning reader their own vote', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const voter = newVoter()
    await t.vote(poll.id, voter, [poll.options[1]!.id])
    expect((await t.viewPoll(poll.id, voter)).myVote).toEqual([poll.options[1]!.id])
    expect((await t.viewPoll(poll.id, newVoter())).myVote).toBeNull()
    expect((await t.viewPoll(poll.id)).myVote).toBeNull()
  })

  it('reports upcoming, open and closed as the clock moves', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ opensAt: iso(T0 + HOUR), closesAt: iso(T0 + 3 * HOUR) })
    expect((await t.viewPoll(poll.id)).status).toBe('upcoming')
    t.clock.advance(HOUR)
    expect((await t.viewPoll(poll.id)).status).toBe('open')
    t.clock.advance(2 * HOUR - 1)
    expect((await t.viewPoll(poll.id)).status).toBe('open')
    t.clock.advance(1)
    expect((await t.viewPoll(poll.id)).status).toBe('closed')
  })
})

describe('results visibility', () => {
  describe('after_vote', () => {
    it('hides results from readers who have not voted', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ resultsVisibility: 'after_vote' })
      await t.voteAsNewReader(poll.id, [poll.options[0]!.id])
      expect((await t.viewPoll(poll.id)).results).toBeNull()
      expect((await t.viewPoll(poll.id, newVoter())).results).toBeNull()
      // Nothing else in the answer may carry the counts.
      expect(await (await t.getPoll(poll.id, newVoter())).text()).not.toMatch(/votes|percent|total/i)
    })

    it('shows results to a reader once they have voted, in the 201 and on every later GET', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ resultsVisibility: 'after_vote' })
      await t.voteAsNewReader(poll.id, [poll.options[0]!.id])
      const voter = newVoter()
      const res = await t.vote(poll.id, voter, [poll.options[1]!.id])
      expect(res.status).toBe(201)
      const expected = { totalVotes: 2, totalVoters: 2, options: [{ id: poll.options[0]!.id, votes: 1, percent: 50 }, { id: poll.options[1]!.id, votes: 1, percent: 50 }] }
      expect(((await res.json()) as PollView).results).toEqual(expected)
      expect((await t.viewPoll(poll.id, voter)).results).toEqual(expected)
    })

    it('shows results to everyone once the poll has closed', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ resultsVisibility: 'after_vote', closesAt: iso(T0 + HOUR) })
      await t.voteAsNewReader(poll.id, [poll.options[0]!.id])
      expect((await t.viewPoll(poll.id)).results).toBeNull()
      t.clock.advance(HOUR)
      expect((await t.viewPoll(poll.id)).results).toMatchObject({ totalVoters: 1 })
      expect((await t.viewPoll(poll.id, newVoter())).results).toMatchObject({ totalVoters: 1 })
    })

    it('hides results from everyone on an upcoming poll', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ resultsVisibility: 'after_vote', opensAt: iso(T0 + HOUR) })
      expect((await t.viewPoll(poll.id, newVoter())).results).toBeNull()
    })
  })

  describe('after_close', () => {
    it('hides results even from readers who voted until the poll closes, then shows them to all', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ resultsVisibility: 'after_close', closesAt: iso(T0 + HOUR) })
      const voter = newVoter()
      const res = await t.vote(poll.id, voter, [poll.options[0]!.id])
      expect(res.status).toBe(201)
      const cast = (await res.json()) as PollView
      expect(cast.myVote).toEqual([poll.options[0]!.id])
      expect(cast.results).toBeNull()
      expect((await t.viewPoll(poll.id, voter)).results).toBeNull()
      expect((await t.viewPoll(poll.id)).results).toBeNull()
      t.clock.advance(HOUR)
      expect((await t.viewPoll(poll.id, voter)).results).toMatchObject({ totalVoters: 1 })
      expect((await t.viewPoll(poll.id)).results).toMatchObject({ totalVoters: 1 })
    })

    it('keeps results out of the 409 answer while the poll is open', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ resultsVisibility: 'after_close' })
      const voter = newVoter()
      await t.vote(poll.id, voter, [poll.options[0]!.id])
      const body = (await expectError(await t.vote(poll.id, voter, [poll.options[0]!.id]), 409, 'already_voted')) as { poll: PollView }
      expect(body.poll.myVote).toEqual([poll.options[0]!.id])
      expect(body.poll.results).toBeNull()
    })

    it('never closes, so never shows results, when closesAt is null', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ resultsVisibility: 'after_close' })
      const voter = newVoter()
      await t.vote(poll.id, voter, [poll.options[0]!.id])
      t.clock.advance(10_000 * HOUR)
      expect((await t.viewPoll(poll.id, voter)).results).toBeNull()
    })
  })

  describe('always', () => {
    it('shows results to every reader, voted or not, with or without a token', async () => {
      const t = createTestApp()
      const poll = await t.createPoll({ resultsVisibility: 'always' })
      expect((await t.viewPoll(poll.id)).results).toEqual({
        totalVotes: 0,
        totalVoters: 0,
        options: poll.options.map((o) => ({ id: o.id, votes: 0, percent: 0 })),
      })
      await t.voteAsNewReader(poll.id, [poll.options[0]!.id])
      expect((await t.viewPoll(poll.id)).results).toMatchObject({ totalVoters: 1 })
      expect((await t.viewPoll(poll.id, newVoter())).results).toMatchObject({ totalVoters: 1 })
    })
  })

  it.each(['after_vote', 'after_close', 'always'])('gives the admin full results and flaggedVotes on a %s poll', async (visibility) => {
    const t = createTestApp()
    const poll = await t.createPoll({ resultsVisibility: visibility, closesAt: iso(T0 + HOUR) })
    await t.voteAsNewReader(poll.id, [poll.options[1]!.id])
    const view = await t.adminView(poll.id)
    expect(view.resultsVisibility).toBe(visibility)
    expect(view.flaggedVotes).toBe(0)
    expect(view.results).toEqual({
      totalVotes: 1,
      totalVoters: 1,
      options: [
        { id: poll.options[0]!.id, votes: 0, percent: 0 },
        { id: poll.options[1]!.id, votes: 1, percent: 100 },
      ],
    })
  })
})

describe('percentages', () => {
  it.each([
    [[1, 1, 1], [34, 33, 33]],
    [[2, 1, 1, 1, 1, 1], [29, 15, 14, 14, 14, 14]],
    [[1, 1, 1, 1, 1, 1, 1], [15, 15, 14, 14, 14, 14, 14]],
    [[1, 2], [33, 67]],
    [[1, 1, 1, 1, 1, 1], [17, 17, 17, 17, 16, 16]],
    [[3, 0, 0], [100, 0, 0]],
  ])('add up to 100 for the split %j (%j)', async (counts, expected) => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: counts.map((_, i) => `Phương án ${i + 1}`), resultsVisibility: 'always' })
    const ids = poll.options.map((o) => o.id)
    await castSplit(t, poll.id, ids, counts)
    const { results } = await t.viewPoll(poll.id)
    const percents = results!.options.map((o) => o.percent)
    expect(percents).toEqual(expected)
    expect(percents.reduce((a, b) => a + b, 0)).toBe(100)
    expect(results!.options.map((o) => o.votes)).toEqual(counts)
    for (const p of percents) expect(Number.isInteger(p)).toBe(true)
  })

  it('are all zero when nobody has voted', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['A', 'B', 'C'] })
    const { results } = await t.adminView(poll.id)
    expect(results).toEqual({ totalVotes: 0, totalVoters: 0, options: poll.options.map((o) => ({ id: o.id, votes: 0, percent: 0 })) })
  })

  it('add up to 100 over chosen options on a multiple-choice poll', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ options: ['A', 'B', 'C'], multiple: true, resultsVisibility: 'always' })
    const [a, b, c] = poll.options.map((o) => o.id)
    await t.voteAsNewReader(poll.id, [a!, b!])
    await t.voteAsNewReader(poll.id, [b!, c!])
    const last = await t.voteAsNewReader(poll.id, [c!, a!, b!])
    expect(last.results).toMatchObject({ totalVoters: 3, totalVotes: 7 })
    const percents = last.results!.options.map((o) => o.percent)
    // Counts 2/3/2 of 7 chosen options: 28.57…, 42.85…, 28.57…
    expect(percents).toEqual([29, 43, 28])
    expect(percents.reduce((x, y) => x + y, 0)).toBe(100)
  })
})
