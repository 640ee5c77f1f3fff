import { Hono } from 'hono'
import * as z from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import type { PollStore } from '../db/polls.ts'
import type { VoteStore } from '../db/votes.ts'
import { ApiError } from '../errors.ts'
import { adminPollView } from '../lib/poll-view.ts'
import { jsonInput } from '../lib/validate.ts'

const readmitSchema = z.union([
  z.strictObject({ voteIds: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(10_000) }),
  z.strictObject({ all: z.literal(true) }),
])

/** Admin review of ballots held back by the per-IP cap (mounted under /polls, behind admin auth). */
export function adminVoteRoutes(deps: AppDeps & { polls: PollStore; votes: VoteStore }) {
  const { polls, votes } = deps
  const now = deps.now ?? Date.now
  const find = (id: string) => polls.get(id) ?? (() => { throw new ApiError(404, 'poll_not_found', 'No poll with this id') })()

  return new Hono<AppEnv>()
    .get('/:id/votes/flagged', (c) => {
      const poll = find(c.req.param('id'))
      const list = votes.flagged(poll.id).map((v) => ({
        id: v.id,
        options: v.optionIds,
        ipGroup: v.ipGroup,
        createdAt: new Date(v.createdAt).toISOString(),
      }))
      return c.json({ votes: list })
    })
    .post('/:id/votes/readmit', jsonInput(readmitSchema, 'invalid_request'), (c) => {
      const poll = find(c.req.param('id'))
      const body = c.req.valid('json')
      const readmitted = votes.readmit(poll.id, 'all' in body ? 'all' : body.voteIds)
      return c.json({ readmitted, poll: adminPollView(find(poll.id), now()) })
    })
}
