/** The Poll component's optimistic count (a pure function, unit-tested on its own). */
import type { PollView } from '../../../server/types.ts'

/** Counts as they will be once `chosen` is added: shown at once, replaced by the server's answer. */
export function withVote(poll: PollView, chosen: string[]): PollView {
  const r = poll.results
  if (!r) return { ...poll, myVote: chosen }
  const options = r.options.map((o) => ({ ...o, votes: o.votes + (chosen.includes(o.id) ? 1 : 0) }))
  const total = options.reduce((a, o) => a + o.votes, 0)
  return {
    ...poll,
    myVote: chosen,
    results: {
      totalVotes: r.totalVotes + chosen.length,
      totalVoters: r.totalVoters + 1,
      options: options.map((o) => ({ ...o, percent: total ? Math.round((o.votes * 100) / total) : 0 })),
    },
  }
}
