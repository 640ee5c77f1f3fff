import { Hono } from 'hono'
import { validator } from 'hono/validator'
import * as z from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import { QUEUE_START, type CommentQueue } from '../db/comment-queue.ts'
import type { CommentStore } from '../db/comments.ts'
import { ApiError } from '../errors.ts'
import { commentIdParam, normaliseText, pageKey } from '../lib/comment-text.ts'
import { adminView, iso } from '../lib/comment-view.ts'
import { decodeCursor, encodeCursor } from '../lib/cursor.ts'
import { limitParam, parseOr } from '../lib/validate.ts'
import type { AdminCommentListResponse, AdminCommentView, AdminThreadListResponse } from '../types.ts'

const MAX_LIMIT = 100
const DEFAULT_LIMIT = 50
const CURSOR_LIST = 'admin'

const QUEUE_STATUS = z.enum(['pending', 'approved', 'rejected', 'spam', 'all'])
const THREADS_DEFAULT_LIMIT = 50

const listQuery = z.object({
  status: QUEUE_STATUS.optional(),
  page: pageKey.optional(),
  q: z.string().max(200, 'must be at most 200 characters').transform(normaliseText).optional(),
  cursor: z.string().optional(),
  limit: limitParam(MAX_LIMIT).optional(),
})

const threadsQuery = z.object({
  status: QUEUE_STATUS.optional(),
  limit: limitParam(MAX_LIMIT).optional(),
})

const notFound = (): never => {
  throw new ApiError(404, 'comment_not_found', 'No comment with this id')
}

/** Admin comment routes (mounted behind admin auth): the moderation queue, approve, reject, delete. */
export function adminCommentRoutes(deps: AppDeps & { comments: CommentStore; queue: CommentQueue }) {
  const { comments, queue } = deps

  function moderate(rawId: string, status: 'approved' | 'rejected'): AdminCommentView {
    const id = commentIdParam(rawId)
    if (!comments.moderate(id, status)) notFound()
    return adminView(queue.get(id) ?? notFound())
  }

  return new Hono<AppEnv>()
    .get('/', validator('query', (v) => parseOr(listQuery, v, 'invalid_request')), (c) => {
      const query = c.req.valid('query')
      const limit = query.limit ?? DEFAULT_LIMIT
      const after = query.cursor === undefined ? QUEUE_START : decodeCursor(query.cursor, CURSOR_LIST)
      if (!after) throw new ApiError(400, 'invalid_request', 'cursor: not a cursor of this list')
      const empty = { comments: [], nextCursor: null, total: 0 } satisfies AdminCommentListResponse
      const thread = query.page === undefined ? null : comments.thread(query.page)
      if (query.page !== undefined && !thread) return c.json(empty)
      const filter = { status: query.status ?? 'pending', threadId: thread?.id ?? null, q: query.q || null }
      const rows = queue.list(filter, after, limit + 1)
      const shown = rows.slice(0, limit)
      const last = shown[shown.length - 1]
      return c.json({
        comments: shown.map(adminView),
        nextCursor: rows.length > limit && last ? encodeCursor(CURSOR_LIST, { key: last.createdAt, id: last.id }) : null,
        total: queue.count(filter),
      } satisfies AdminCommentListResponse)
    })
    .post('/:id/approve', (c) => c.json(moderate(c.req.param('id'), 'approved')))
    .post('/:id/reject', (c) => c.json(moderate(c.req.param('id'), 'rejected')))
    .delete('/:id', (c) => {
      if (!comments.purge(commentIdParam(c.req.param('id')))) notFound()
      return c.body(null, 204)
    })
}

/** The moderation console's article picker (mounted behind admin auth): threads with comments of a status. */
export function adminThreadRoutes(deps: { queue: CommentQueue }) {
  const { queue } = deps
  return new Hono<AppEnv>().get('/', validator('query', (v) => parseOr(threadsQuery, v, 'invalid_request')), (c) => {
    const query = c.req.valid('query')
    const threads = queue.threads(query.status ?? 'pending', query.limit ?? THREADS_DEFAULT_LIMIT)
    return c.json({
      threads: threads.map((t) => ({ page: t.page, title: t.title, url: t.url, count: t.count, lastCommentAt: iso(t.lastAt) })),
    } satisfies AdminThreadListResponse)
  })
}
