/** Response shapes shared by the server and (through `import type`) the widget and admin console. */

export type PollStatus = 'open' | 'closed' | 'upcoming'
export type ResultsVisibility = 'always' | 'after_vote' | 'after_close'
export type Dedupe = 'voter' | 'voter+ip'

export interface PollResults {
  totalVotes: number
  totalVoters: number
  options: { id: string; votes: number; percent: number }[]
}

/** What `GET /api/polls/:id` answers. */
export interface PollView {
  id: string
  question: string
  options: { id: string; label: string }[]
  multiple: boolean
  maxChoices: number
  status: PollStatus
  opensAt: string | null
  closesAt: string | null
  resultsVisibility: ResultsVisibility
  myVote: string[] | null
  results: PollResults | null
}

/** The admin view of a poll: the public fields with full results, always. */
export interface AdminPollView extends Omit<PollView, 'results' | 'myVote'> {
  myVote: null
  results: PollResults
  flaggedVotes: number
  maxVotesPerIp: number
  ipWindowSeconds: number
  dedupe: Dedupe
  createdAt: string
  updatedAt: string
}

export interface ApiErrorBody {
  error: { code: string; message: string }
}
