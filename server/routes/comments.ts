import { Hono, type Context } from 'hono'
import { validator } from 'hono/validator'
import * as z from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import { positionOf, startOf, type CommentRecord, type CommentStore } from '../db/comments.ts'
import { ApiError } from '../errors.ts'
import { answerKey, sendAnswer, type AnswerCache } from '../lib/answer-cache.ts'
import { createBatcher } from '../lib/batcher.ts'
import { commentIdParam, countLinks, MAX_LINKS_UNMODERATED, pageKey } from '../lib/comment-text.ts'
import { readerView, threadView } from '../lib/comment-view.ts'
import type { Commenting } from '../lib/commenting.ts'
import { decodeCursor, encodeCursor } from '../lib/cursor.ts'
import { checkEditToken, formTokenHour, issueFormToken } from '../lib/signed.ts'
import { jsonInput, limitParam, parseOr } from '../lib/validate.ts'
import { SHARED_CACHE_CONTROL } from '../middleware/http-cache.ts'
import type { ClientRateLimit } from '../middleware/rate-limit.ts'
import { optionalVoter, requireVoter } from '../middleware/voter.ts'
import type { LaneWrite } from '../middleware/write-lane.ts'
import type { CommentEditResponse, CommentListResponse, CommentStatus } from '../types.ts'

const MAX_LIMIT = 50
const DEFAULT_LIMIT = 20

const listQuery = z.object({
  page: pageKey,
  sort: z.enum(['newest', 'oldest', 'top']).optional(),
  limit: limitParam(MAX_LIMIT).optional(),
  cursor: z.string().optional(),
})

/** Public comment routes: list a thread, post, edit and delete with an edit token, like. */
export function commentRoutes(deps: AppDeps & { comments: CommentStore; answers: AnswerCache; commenting: Commenting }) {
  const { comments, config, secret, answers, commenting } = deps
  const now = deps.now ?? Date.now
  const { voterHash } = commenting
  const like = createBatcher(comments.like)
  const editSchema = z.object({ body: commenting.bodyText })

  /** The comment named in the path, if its author's edit token is valid and its window open. */
  function editable(c: Context<AppEnv>): CommentRecord {
    const id = commentIdParam(c.req.param('id')!)
    const comment = comments.get(id)
    if (!comment || comment.status === 'deleted') throw new ApiError(404, 'comment_not_found', 'No comment with this id')
    const verdict = checkEditToken(secret, c.req.header('x-voxpop-edit-token'), id, now())
    if (verdict === 'forbidden') throw new ApiError(403, 'forbidden', 'Send this comment’s edit token in X-Voxpop-Edit-Token')
    if (verdict === 'expired') throw new ApiError(403, 'edit_window_closed', 'This comment can no longer be edited or deleted')
    return comment
  }

  /** Where an edited comment stands: an edit must not slip unreviewed text past moderation. */
  function statusAfterEdit(current: CommentStatus, body: string): CommentStatus {
    if (current !== 'approved') return current
    return config.moderation === 'pre' || countLinks(body) > MAX_LINKS_UNMODERATED ? 'pending' : 'approved'
  }

  async function setLike(c: Context<AppEnv>, liked: boolean) {
    const token = requireVoter(c)
    const commentId = commentIdParam(c.req.param('id')!)
    const outcome = await like({ commentId, voterHash: voterHash(token), like: liked, at: now() })
    if (!outcome) throw new ApiError(404, 'comment_not_found', 'No published comment with this id')
    return c.json(outcome)
  }

  return new Hono<AppEnv>()
    .get('/', validator('query', (v) => parseOr(listQuery, v, 'invalid_request')), (c) => {
      const query = c.req.valid('query')
      const sort = query.sort ?? 'newest'
      const limit = query.limit ?? DEFAULT_LIMIT
      const after = query.cursor === undefined ? startOf(sort) : decodeCursor(query.cursor, sort)
      if (!after) throw new ApiError(400, 'invalid_request', 'cursor: not a cursor of this list (sort changed?)')
      const token = optionalVoter(c)
      const voter = token ? voterHash(token) : null
      const list = (): CommentListResponse => {
        const formToken = issueFormToken(secret, now())
        const thread = comments.thread(query.page)
        if (!thread) return { comments: [], nextCursor: null, total: 0, formToken }
        const rows = comments.listTop(thread.id, sort, after, limit + 1, voter)
        const top = rows.slice(0, limit)
        const replies = comments.replies(top.map((r) => r.id), voter)
        const liked = voter ? comments.likedBy([...top, ...replies].map((r) => r.id), voter) : new Set<number>()
        const last = top[top.length - 1]
        return {
          comments: threadView(top, replies, liked),
          nextCursor: rows.length > limit && last ? encodeCursor(sort, positionOf(sort, last)) : null,
          total: thread.approvedCount,
          formToken,
        }
      }
      // The first page for a reader without a token is the same for everyone: kept until the next write.
      if (voter !== null || query.cursor !== undefined) return c.json(list())
      const key = answerKey(c)
      const answer =
        answers.get(key) ??
        answers.remember(key, list, { cacheControl: () => SHARED_CACHE_CONTROL, vary: 'X-Voxpop-Voter', etagSource: formTokenHour })
      return sendAnswer(c, answer)
    })
    .post('/', jsonInput(commenting.postSchema, 'invalid_comment'), async (c) => {
      const token = requireVoter(c)
      return c.body(await commenting.post(c.req.valid('json'), token, c.get('clientIp')), 201, { 'Content-Type': 'application/json' })
    })
    .patch('/:id', jsonInput(editSchema, 'invalid_comment'), (c) => {
      const comment = editable(c)
      if (comment.status === 'rejected') throw new ApiError(404, 'comment_not_found', 'No comment with this id')
      const { body } = c.req.valid('json')
      const edited = body === comment.body ? comment : comments.edit(comment.id, body, statusAfterEdit(comment.status, body), now())
      if (!edited) throw new ApiError(404, 'comment_not_found', 'No comment with this id')
      const token = optionalVoter(c)
      const likedByMe = token !== null && comments.likedBy([edited.id], voterHash(token)).has(edited.id)
      return c.json({
        comment: readerView(edited, likedByMe),
        status: edited.status === 'approved' ? 'approved' : 'pending',
      } satisfies CommentEditResponse)
    })
    .delete('/:id', (c) => {
      const comment = editable(c)
      if (comments.remove(comment.id) === 'not_found') throw new ApiError(404, 'comment_not_found', 'No comment with this id')
      return c.body(null, 204)
    })
    .put('/:id/like', (c) => setLike(c, true))
    .delete('/:id/like', (c) => setLike(c, false))
}

/** `POST /api/comments` for the write lane, which posts a plain new comment without the chain above. */
export function commentLaneWrite(commenting: Commenting, limit: ClientRateLimit): LaneWrite<ReturnType<Commenting['postSchema']['parse']>> {
  return {
    match: (target) => (target === '/api/comments' ? '' : null),
    limit,
    check: (_, body) => commenting.postSchema.parse(body),
    run: (input, token, clientIp) => commenting.post(input, token, clientIp),
  }
}
