import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../context.ts'
import type { CommentStore } from '../db/comments.ts'
import { ApiError } from '../errors.ts'
import { pageKey } from '../lib/comment-text.ts'
import type { CommentCountsResponse } from '../types.ts'
import { answerKey, sendAnswer, type AnswerCache } from '../lib/answer-cache.ts'

/** Most page keys one counts request may ask for. */
export const MAX_COUNT_KEYS = 100
/** Counts move slowly and a listing page asks for many: a longer shared lifetime than other answers. */
const COUNTS_CACHE_CONTROL = 'public, max-age=30'

/** `GET /api/counts?page=A&page=B`: approved comments per page, one query for a whole listing page. */
export function countRoutes(deps: AppDeps & { comments: CommentStore; answers: AnswerCache }) {
  const { comments, answers } = deps
  return new Hono<AppEnv>().get('/', (c) => {
    // Only a valid request is ever remembered, so a kept answer needs no second check.
    const key = answerKey(c)
    const kept = answers.get(key)
    if (kept) return sendAnswer(c, kept)
    const requested = c.req.queries('page') ?? []
    if (requested.length < 1 || requested.length > MAX_COUNT_KEYS) {
      throw new ApiError(400, 'invalid_request', `page: give 1 to ${MAX_COUNT_KEYS} page keys (got ${requested.length})`)
    }
    const keys = requested.map((raw) => {
      const parsed = pageKey.safeParse(raw)
      if (!parsed.success) throw new ApiError(400, 'invalid_request', `page: "${raw.slice(0, 50)}" ${parsed.error.issues[0]!.message}`)
      return parsed.data
    })
    const build = (): CommentCountsResponse => {
      const counts = comments.counts(keys)
      // Keys come back exactly as asked (NFD or padded too), so the widget can match its elements.
      return Object.fromEntries(requested.map((raw, i) => [raw, counts.get(keys[i]!) ?? 0]))
    }
    return sendAnswer(c, answers.remember(key, build, { cacheControl: () => COUNTS_CACHE_CONTROL }))
  })
}
