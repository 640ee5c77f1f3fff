/** The Poll component's optimistic count (a pure function, unit-tested on its own). */
import type { PollView } from '../../../server/types.ts'

/** Counts as they will be once `chosen` is added: shown at once, replaced by the server's answer. */
export function withVote(poll: PollView, chosen: string[]): PollView {
  const r = poll.results
  if (!r) return { ...poll, myVote: chosen }
  const options = r.options.map((o) => ({ ...o, votes: o.votes + (chosen.includes(o.id) ? 1 : 0), percent: 0 }))
  const total = options.reduce((a, o) => a + o.votes, 0)
  // Largest remainder, as the server counts: the percentages add up to 100, never 99 or 101
  // (`total` is at least this reader's ballot).
  let left = 100
  for (const o of options) left -= o.percent = Math.floor((o.votes * 100) / total)
  for (const o of [...options].sort((a, b) => ((b.votes * 100) % total) - ((a.votes * 100) % total)).slice(0, left)) o.percent++
  return {
    ...poll,
    myVote: chosen,
    results: { totalVotes: r.totalVotes + chosen.length, totalVoters: r.totalVoters + 1, options },
  }
}
