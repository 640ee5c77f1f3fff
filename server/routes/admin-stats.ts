import { Hono } from 'hono'
import { validator } from 'hono/validator'
import * as z from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import type { PollStore } from '../db/polls.ts'
import { createStatsStore, QUARTER_MS } from '../db/stats.ts'
import { ApiError } from '../errors.ts'
import { buildTimeline, chooseUnit } from '../lib/timeline.ts'
import { parseOr } from '../lib/validate.ts'
import { startOfLocal } from '../lib/zoned-time.ts'
import type { AdminConfig, AdminStats, PollTimeline } from '../types.ts'

const timelineQuery = z.object({ unit: z.enum(['hour', 'day']).optional() })

/** What the admin console reads besides polls and comments: dashboard counts, a poll's timeline, settings. */
export function adminStatsRoutes(deps: AppDeps & { polls: PollStore }) {
  const { polls, config, db } = deps
  const now = deps.now ?? Date.now
  const stats = createStatsStore(db)
  const zone = config.timezone

  return new Hono<AppEnv>()
    .get('/stats', (c) => {
      const at = now()
      const today = startOfLocal('day', at, zone)
      const body: AdminStats = {
        openPolls: stats.openPolls(at),
        pendingComments: stats.pendingComments(),
        votesToday: stats.votesSince(today),
        commentsToday: stats.commentsSince(today),
      }
      return c.json(body)
    })
    .get('/config', (c) => c.json({ timezone: zone, moderation: config.moderation } satisfies AdminConfig))
    .get('/polls/:id/timeline', validator('query', (v) => parseOr(timelineQuery, v, 'invalid_request')), (c) => {
      const poll = polls.get(c.req.param('id'))
      if (!poll) throw new ApiError(404, 'poll_not_found', 'No poll with this id')
      const quarters = stats.voteQuarters(poll.id)
      const at = now()
      let from = poll.opensAt ?? poll.createdAt
      let to = Math.min(at, poll.closesAt ?? at)
      if (quarters.length > 0) {
        from = Math.min(from, quarters[0]!.quarter * QUARTER_MS)
        to = Math.max(to, quarters[quarters.length - 1]!.quarter * QUARTER_MS)
      }
      const unit = c.req.valid('query').unit ?? chooseUnit(from, to)
      const body: PollTimeline = { unit, timezone: zone, buckets: buildTimeline(quarters, unit, from, to, zone) }
      return c.json(body)
    })
}
