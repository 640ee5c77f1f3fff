import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../context.ts'
import { answerKey, sendAnswer, type AnswerCache } from '../lib/answer-cache.ts'
import { nextStatusChange, publicPollView } from '../lib/poll-view.ts'
import { jsonInput } from '../lib/validate.ts'
import { pollNotFound, voteSchema, type CheckedVote, type Voting } from '../lib/voting.ts'
import type { PollStore } from '../db/polls.ts'
import { PRIVATE_CACHE_CONTROL, SHARED_CACHE_CONTROL } from '../middleware/http-cache.ts'
import type { ClientRateLimit } from '../middleware/rate-limit.ts'
import { optionalVoter, requireVoter } from '../middleware/voter.ts'
import type { LaneWrite } from '../middleware/write-lane.ts'

/** Public poll routes: read a poll, cast a vote. */
export function pollRoutes(deps: AppDeps & { polls: PollStore; answers: AnswerCache; voting: Voting }) {
  const { polls, answers, voting } = deps
  const now = deps.now ?? Date.now

  return new Hono<AppEnv>()
    .get('/:id', (c) => {
      const id = c.req.param('id')
      const token = optionalVoter(c)
      if (token === null) {
        // Every reader without a token gets the same answer; with the results out, HTTP caches may share it too.
        let changesAt: number | null = null
        const build = () => {
          const poll = polls.get(id) ?? pollNotFound()
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
      const poll = polls.get(id) ?? pollNotFound()
      return c.json(publicPollView(poll, polls.myVote(poll.id, voting.voterHash(poll.id, token)), now()))
    })
    .post(
      '/:id/votes',
      jsonInput(voteSchema, 'invalid_choice'),
      async (c) => {
        const token = requireVoter(c)
        const vote = voting.check(c.req.param('id'), c.req.valid('json').options)
        return c.body(await voting.cast(vote, token, c.get('clientIp')), 201, { 'Content-Type': 'application/json' })
      },
    )
}

const VOTES_TARGET = /^\/api\/polls\/([A-Za-z0-9_-]{1,64})\/votes$/

/** `POST /api/polls/:id/votes` for the write lane, which casts a plain vote without the chain above. */
export function voteLaneWrite(voting: Voting, limit: ClientRateLimit): LaneWrite<CheckedVote> {
  return {
    match: (target) => VOTES_TARGET.exec(target)?.[1] ?? null,
    limit,
    check: (pollId, body) => voting.check(pollId, voteSchema.parse(body).options),
    run: (vote, token, clientIp) => voting.cast(vote, token, clientIp),
  }
}
