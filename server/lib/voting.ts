import * as z from 'zod'
import type { Ballot, PollRecord, PollStore } from '../db/polls.ts'
import { ApiError } from '../errors.ts'
import { memoUntilChange } from './answer-cache.ts'
import { createBatcher } from './batcher.ts'
import { keyedHash, keyedHashMemo } from './crypto.ts'
import { pollStatus, publicPollView } from './poll-view.ts'
import { jsonBytes } from './response-body.ts'

/** The body of `POST /api/polls/:id/votes`. */
export const voteSchema = z.object({ options: z.array(z.string().max(64)).max(50) })

/** `404 poll_not_found`. */
export function pollNotFound(): never {
  throw new ApiError(404, 'poll_not_found', 'No poll with this id')
}

/** Each poll record's option ids, made once: a record is read once per write and checks a batch of ballots. */
const optionIds = new WeakMap<PollRecord, Set<string>>()

function optionIdsOf(poll: PollRecord): Set<string> {
  let ids = optionIds.get(poll)
  if (!ids) optionIds.set(poll, (ids = new Set(poll.options.map((o) => o.id))))
  return ids
}

/** Checks a ballot against the poll's rules; throws `400 invalid_choice` with the reason. */
export function checkChoice(poll: PollRecord, chosen: string[]): void {
  const fail = (why: string) => {
    throw new ApiError(400, 'invalid_choice', why)
  }
  if (chosen.length === 0) fail('Choose at least one option')
  if (chosen.length > 1 && new Set(chosen).size !== chosen.length) fail('An option was chosen twice')
  const known = optionIdsOf(poll)
  for (const id of chosen) if (!known.has(id)) fail(`Unknown option "${id}"`)
  if (!poll.multiple && chosen.length > 1) fail('This poll takes a single choice')
  if (chosen.length > poll.maxChoices) fail(`Choose at most ${poll.maxChoices} options`)
}

/**
 * The JSON answer to a counted ballot, as UTF-8 bytes. The ballots of one batch are answered from
 * one record of the poll (its counts after their commit), so their answers differ only by the
 * reader's choice (and the poll's status, should it close meanwhile): each distinct answer is
 * made once per record.
 */
function votedViews(maxPerRecord = 64): (poll: PollRecord, chosen: string[], now: number) => Uint8Array<ArrayBuffer> {
  const made = new WeakMap<PollRecord, Map<string, Uint8Array<ArrayBuffer>>>()
  return (poll, chosen, now) => {
    const key = `${pollStatus(poll, now)}\0${chosen.join('\0')}`
    let answers = made.get(poll)
    if (!answers) made.set(poll, (answers = new Map()))
    let bytes = answers.get(key)
    if (bytes === undefined) {
      bytes = jsonBytes(publicPollView(poll, chosen, now))
      if (answers.size < maxPerRecord) answers.set(key, bytes)
    }
    return bytes
  }
}

/** A ballot that passed `check`: the poll as it was read, and the reader's choice. */
export interface CheckedVote {
  poll: PollRecord
  chosen: string[]
  at: number
}

/**
 * A reader's vote, as both the vote route and the write lane (`middleware/write-lane.ts`) cast it:
 * one batcher for both, so ballots arriving together share one transaction whichever way they came.
 */
export function createVoting(deps: { polls: PollStore; secret: string; changes: () => string; now?: () => number }) {
  const { polls, secret } = deps
  const now = deps.now ?? Date.now
  // A poll's record is read for every ballot: once per write to the database is enough.
  const pollOf = memoUntilChange(deps.changes, (id) => polls.get(id))
  // Ballots arriving together share one transaction, and then one read of the poll's new counts.
  const batch = createBatcher((ballots: Ballot[]) => polls.cast(ballots).map((outcome, i) => ({ outcome, poll: pollOf(ballots[i]!.pollId) })))
  const voterHash = (pollId: string, token: string) => keyedHash(secret, 'voter', pollId, token)
  const ipHash = keyedHashMemo(secret)
  const votedView = votedViews()

  return {
    voterHash,
    /**
     * Checks a ballot without storing anything: `404 poll_not_found`, `403 poll_closed`,
     * `403 poll_not_open`, `400 invalid_choice` — in that order.
     */
    check(pollId: string, chosen: string[]): CheckedVote {
      const poll = pollOf(pollId) ?? pollNotFound()
      const at = now()
      const status = pollStatus(poll, at)
      if (status === 'closed') throw new ApiError(403, 'poll_closed', 'This poll has closed')
      if (status === 'upcoming') throw new ApiError(403, 'poll_not_open', 'This poll is not open yet')
      checkChoice(poll, chosen)
      return { poll, chosen, at }
    },
    /**
     * Stores a checked ballot and resolves, after its commit, with the JSON of the `201` answer
     * (UTF-8 bytes, shared by the answers alike: not to be written to). A second ballot of the
     * same reader is `409 already_voted` with the poll as this reader sees it; a poll deleted
     * meanwhile is `404`. A flagged ballot is answered like any
     * other, so a script cannot tell it was caught.
     */
    async cast(vote: CheckedVote, token: string, clientIp: string): Promise<Uint8Array<ArrayBuffer>> {
      const { poll, chosen, at } = vote
      const hash = voterHash(poll.id, token)
      const { outcome, poll: fresh } = await batch({ pollId: poll.id, voterHash: hash, ipHash: ipHash('ip', poll.id, clientIp), optionIds: chosen, at })
      if (!fresh) pollNotFound()
      if (outcome === 'duplicate') {
        const view = publicPollView(fresh, polls.myVote(poll.id, hash), now())
        throw new ApiError(409, 'already_voted', 'This reader has already voted in this poll', { poll: view })
      }
      return votedView(fresh, chosen, now())
    },
  }
}

export type Voting = ReturnType<typeof createVoting>
