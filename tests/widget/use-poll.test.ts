import { describe, expect, it } from 'vitest'
import { withVote } from '../../widget/src/hooks/usePoll.ts'
import { pollView } from './poll-harness.tsx'

describe('withVote', () => {
  it('adds the ballot to the counts, the voters and the percentages', () => {
    const next = withVote(pollView(), ['b'])
    expect(next.myVote).toEqual(['b'])
    expect(next.results).toEqual({
      totalVotes: 5,
      totalVoters: 5,
      options: [
        { id: 'a', votes: 1, percent: 20 },
        { id: 'b', votes: 4, percent: 80 },
        { id: 'c', votes: 0, percent: 0 },
      ],
    })
  })

  it('counts each chosen option of a multiple-choice ballot but the voter once', () => {
    const next = withVote(pollView({ multiple: true, maxChoices: 3 }), ['a', 'c'])
    expect(next.results!.totalVotes).toBe(6)
    expect(next.results!.totalVoters).toBe(5)
    expect(next.results!.options.map((o) => o.votes)).toEqual([2, 3, 1])
    expect(next.results!.options.map((o) => o.percent)).toEqual([33, 50, 17])
  })

  it('gives 100% to the only option of a first vote', () => {
    const empty = pollView({
      results: { totalVotes: 0, totalVoters: 0, options: ['a', 'b', 'c'].map((id) => ({ id, votes: 0, percent: 0 })) },
    })
    expect(withVote(empty, ['c']).results!.options.map((o) => o.percent)).toEqual([0, 0, 100])
  })

  it('only records the choice when the reader may not see results yet', () => {
    const hidden = pollView({ resultsVisibility: 'after_vote', results: null })
    expect(withVote(hidden, ['a'])).toEqual({ ...hidden, myVote: ['a'] })
  })

  it('leaves the poll it was given untouched, so a rollback restores it exactly', () => {
    const before = pollView()
    const copy = structuredClone(before)
    withVote(before, ['a'])
    expect(before).toEqual(copy)
  })
})

describe('withVote percentages', () => {
  it('add up to exactly 100 by largest remainder, ties to the earlier option, as the server counts', () => {
    const thirds = pollView({
      results: {
        totalVotes: 2,
        totalVoters: 2,
        options: [
          { id: 'a', votes: 0, percent: 0 },
          { id: 'b', votes: 1, percent: 50 },
          { id: 'c', votes: 1, percent: 50 },
        ],
      },
    })
    // 1 / 1 / 1 rounded one by one would show 33 + 33 + 33 = 99.
    expect(withVote(thirds, ['a']).results!.options.map((o) => o.percent)).toEqual([34, 33, 33])
    const sevenths = pollView({
      results: {
        totalVotes: 6,
        totalVoters: 6,
        options: [
          { id: 'a', votes: 1, percent: 17 },
          { id: 'b', votes: 2, percent: 33 },
          { id: 'c', votes: 3, percent: 50 },
        ],
      },
    })
    // 2/7, 2/7, 3/7 = 28.6 / 28.6 / 42.9: rounded one by one 29 + 29 + 43 = 101.
    const percents = withVote(sevenths, ['a']).results!.options.map((o) => o.percent)
    expect(percents).toEqual([29, 28, 43])
    expect(percents.reduce((a, b) => a + b, 0)).toBe(100)
  })
})
