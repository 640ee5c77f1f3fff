import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import { ApiError } from '../errors.ts'
import { answerKey, memoUntilChange, sendAnswer, type AnswerCache } from '../lib/answer-cache.ts'
import { createBatcher } from '../lib/batcher.ts'
import { keyedHash, keyedHashMemo } from '../lib/crypto.ts'
import { nextStatusChange, pollStatus, publicPollView } from '../lib/poll-view.ts'
import { jsonInput } from '../lib/validate.ts'
import type { PollStore } from '../db/polls.ts'
import type { Ballot, PollRecord } from '../db/polls.ts'
import { PRIVATE_CACHE_CONTROL, SHARED_CACHE_CONTROL } from '../middleware/http-cache.ts'
import { optionalVoter, requireVoter } from '../middleware/voter.ts'

const voteSchema = z.object({ options: z.array(z.string().max(64)).max(50) })

function notFound(): never {
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
 * The JSON answer to a counted ballot. The ballots of one batch are answered from one record of
 * the poll (its counts after their commit), so their answers differ only by the reader's choice
 * (and the poll's status, should it close meanwhile): each distinct answer is made once per record.
 */
function votedViews(maxPerRecord = 64): (poll: PollRecord, chosen: string[], now: number) => string {
  const made = new WeakMap<PollRecord, Map<string, string>>()
  return (poll, chosen, now) => {
    const key = `${pollStatus(poll, now)}\0${chosen.join('\0')}`
    let answers = made.get(poll)
    if (!answers) made.set(poll, (answers = new Map()))
    let text = answers.get(key)
    if (text === undefined) {
      text = JSON.stringify(publicPollView(poll, chosen, now))
      if (answers.size < maxPerRecord) answers.set(key, text)
    }
    return text
  }
}

/** Public poll routes: read a poll, cast a vote. */
export function pollRoutes(deps: AppDeps & { polls: PollStore; answers: AnswerCache; changes: () => string }) {
  const { polls, secret, answers } = deps
  // A poll's record is read for every ballot: once per write to the database is enough.
  const pollOf = memoUntilChange(deps.changes, (id) => polls.get(id))
  const now = deps.now ?? Date.now
  // Ballots arriving together share one transaction, and then one read of the poll's new counts.
  const cast = createBatcher((ballots: Ballot[]) => polls.cast(ballots).map((outcome, i) => ({ outcome, poll: pollOf(ballots[i]!.pollId) })))
  const voterHash = (pollId: string, token: string) => keyedHash(secret, 'voter', pollId, token)
  const ipHash = keyedHashMemo(secret)
  const votedView = votedViews()

  return new Hono<AppEnv>()
    .get('/:id', (c) => {
      const id = c.req.param('id')
      const token = optionalVoter(c)
      if (token === null) {
        // Every reader without a token gets the same answer; with the results out, HTTP caches may share it too.
        let changesAt: number | null = null
        const build = () => {
          const poll = polls.get(id) ?? notFound()
          const at = now()
          changesAt = nextStatusChange(poll, at)
          return publicPollView(poll, null, at)
        }
        const key = answerKey(c)
        const answer =
          answers.get(key) ??
          answers.remember(key, build, {
            cacheControl: (view) => (view.results !== null ? SHARED_CACHE_CONTROL : PRIVATE_CACHE_CONTROL),
            vary: 'X-Voxpop-Voter',
            until: () => changesAt,
          })
        return sendAnswer(c, answer)
      }
      const poll = polls.get(id) ?? notFound()
      return c.json(publicPollView(poll, polls.myVote(poll.id, voterHash(poll.id, token)), now()))
    })
    .post(
      '/:id/votes',
      jsonInput(voteSchema, 'invalid_choice'),
      async (c) => {
        const token = requireVoter(c)
        const poll = pollOf(c.req.param('id')) ?? notFound()
        const at = now()
        const status = pollStatus(poll, at)
        if (status === 'closed') throw new ApiError(403, 'poll_closed', 'This poll has closed')
        if (status === 'upcoming') throw new ApiError(403, 'poll_not_open', 'This poll is not open yet')
        const chosen = c.req.valid('json').options
        checkChoice(poll, chosen)
        const hash = voterHash(poll.id, token)
        const { outcome, poll: fresh } = await cast({
          pollId: poll.id,
          voterHash: hash,
          ipHash: ipHash('ip', poll.id, c.get('clientIp')),
          optionIds: chosen,
          at,
        })
        if (!fresh) notFound()
        if (outcome === 'duplicate') {
          const view = publicPollView(fresh, polls.myVote(poll.id, hash), now())
          throw new ApiError(409, 'already_voted', 'This reader has already voted in this poll', { poll: view })
        }
        // A flagged ballot is answered like any other, so a script cannot tell it was caught.
        return c.body(votedView(fresh, chosen, now()), 201, { 'Content-Type': 'application/json' })
      },
    )
}
