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
