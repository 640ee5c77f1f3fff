import type { PollRecord } from '../db/polls.ts'
import type { AdminPollView, PollResults, PollStatus, PollView } from '../types.ts'
import { percentages } from './percent.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** When the poll's status will next change after `now` (it opens or closes), or null if never. */
export function nextStatusChange(poll: Pick<PollRecord, 'opensAt' | 'closesAt'>, now: number): number | null {
  if (poll.opensAt !== null && now < poll.opensAt) return poll.opensAt
  if (poll.closesAt !== null && now < poll.closesAt) return poll.closesAt
  return null
}

/** Where the poll stands at `now`; checked on every request, so no cron is needed. */
export function pollStatus(poll: Pick<PollRecord, 'opensAt' | 'closesAt'>, now: number): PollStatus {
  if (poll.opensAt !== null && now < poll.opensAt) return 'upcoming'
  if (poll.closesAt !== null && now >= poll.closesAt) return 'closed'
  return 'open'
}

function results(poll: PollRecord): PollResults {
  const percents = percentages(poll.options.map((o) => o.votes))
  return {
    totalVotes: poll.totalVotes,
    totalVoters: poll.totalVoters,
    options: poll.options.map((o, i) => ({ id: o.id, votes: o.votes, percent: percents[i]! })),
  }
}

/** Whether a reader may see the counts now: the server never sends them otherwise. */
export function resultsVisible(poll: PollRecord, status: PollStatus, hasVoted: boolean): boolean {
  switch (poll.resultsVisibility) {
    case 'always':
      return true
    case 'after_vote':
      // Once a poll has closed nobody can vote any more, so everyone may see how it ended.
      return hasVoted || status === 'closed'
    case 'after_close':
      return status === 'closed'
  }
}

/** The public view of a poll for one reader (`myVote` null for a reader who has not voted). */
export function publicPollView(poll: PollRecord, myVote: string[] | null, now: number): PollView {
  const status = pollStatus(poll, now)
  return {
    id: poll.id,
    question: poll.question,
    options: poll.options.map((o) => ({ id: o.id, label: o.label })),
    multiple: poll.multiple,
    maxChoices: poll.maxChoices,
    status,
    opensAt: iso(poll.opensAt),
    closesAt: iso(poll.closesAt),
    resultsVisibility: poll.resultsVisibility,
    myVote,
    results: resultsVisible(poll, status, myVote !== null) ? results(poll) : null,
  }
}

/** The admin view: public fields, full results whatever the visibility rule, and abuse counters. */
export function adminPollView(poll: PollRecord, now: number): AdminPollView {
  return {
    ...publicPollView(poll, null, now),
    myVote: null,
    results: results(poll),
    flaggedVotes: poll.flaggedVotes,
    maxVotesPerIp: poll.maxVotesPerIp,
    ipWindowSeconds: poll.ipWindowSeconds,
    dedupe: poll.dedupe,
    createdAt: iso(poll.createdAt)!,
    updatedAt: iso(poll.updatedAt)!,
  }
}
