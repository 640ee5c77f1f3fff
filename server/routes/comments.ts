import { Hono, type Context } from 'hono'
import { validator } from 'hono/validator'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import { positionOf, startOf, type CommentRecord, type CommentStore } from '../db/comments.ts'
import { ApiError } from '../errors.ts'
import { answerKey, sendAnswer, type AnswerCache } from '../lib/answer-cache.ts'
import { createBatcher } from '../lib/batcher.ts'
import {
  commentIdParam,
  countLinks,
  MAX_AUTHOR_CHARS,
  MAX_LINKS_UNMODERATED,
  MAX_TITLE_CHARS,
  optionalEmail,
  optionalText,
  optionalUrl,
  pageKey,
  plainText,
} from '../lib/comment-text.ts'
import { readerView, threadView } from '../lib/comment-view.ts'
import { keyedHash, keyedHashMemo } from '../lib/crypto.ts'
import { decodeCursor, encodeCursor } from '../lib/cursor.ts'
import { checkEditToken, checkFormToken, formTokenHour, issueEditToken, issueFormToken } from '../lib/signed.ts'
import { jsonInput, limitParam, parseOr } from '../lib/validate.ts'
import { SHARED_CACHE_CONTROL } from '../middleware/http-cache.ts'
import { optionalVoter, requireVoter } from '../middleware/voter.ts'
import type { CommentEditResponse, CommentListResponse, CommentPostResponse, CommentStatus } from '../types.ts'

const MAX_LIMIT = 50
const DEFAULT_LIMIT = 20

const listQuery = z.object({
  page: pageKey,
  sort: z.enum(['newest', 'oldest', 'top']).optional(),
  limit: limitParam(MAX_LIMIT).optional(),
  cursor: z.string().optional(),
})

const iso = (ms: number) => new Date(ms).toISOString()

/** A bot fills every field it finds; the widget renders `website` hidden and leaves it empty. */
const honeypotFilled = (value: unknown) => value !== undefined && value !== null && value !== ''

/** Public comment routes: list a thread, post, edit and delete with an edit token, like. */
export function commentRoutes(deps: AppDeps & { comments: CommentStore; answers: AnswerCache }) {
  const { comments, config, secret, answers } = deps
  const now = deps.now ?? Date.now
  const voterHash = (token: string) => keyedHash(secret, 'commenter', token)
  const ipHash = keyedHashMemo(secret)
  const like = createBatcher(comments.like)
  // Comments arriving together share one commit; each is answered only after it.
  const post = createBatcher(comments.postMany)
  const bodyText = plainText(1, config.maxCommentChars, { multiline: true })
  const postSchema = z.object({
    page: pageKey,
    title: optionalText(MAX_TITLE_CHARS),
    url: optionalUrl,
    parentId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullish(),
    author: optionalText(MAX_AUTHOR_CHARS),
    email: optionalEmail,
    body: bodyText,
    // Never refused: a missing or bad token or a filled honeypot quietly marks the comment as spam.
    formToken: z.unknown().optional(),
    website: z.unknown().optional(),
  })
  const editSchema = z.object({ body: bodyText })

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
    .post('/', jsonInput(postSchema, 'invalid_comment'), async (c) => {
      const voter = voterHash(requireVoter(c))
      const input = c.req.valid('json')
      const at = now()
      const spam = honeypotFilled(input.website) || checkFormToken(secret, input.formToken, at) !== 'ok'
      const held = config.moderation === 'pre' || countLinks(input.body) > MAX_LINKS_UNMODERATED
      const outcome = await post({
        page: input.page,
        // A bot must not get to rename the page in the admin console.
        title: spam ? null : input.title,
        url: spam ? null : input.url,
        parentId: input.parentId ?? null,
        author: input.author,
        email: input.email,
        body: input.body,
        status: spam ? 'spam' : held ? 'pending' : 'approved',
        voterHash: voter,
        ipHash: ipHash('comment-ip', c.get('clientIp')),
        at,
      })
      if (outcome instanceof Error) throw outcome
      if (outcome.kind === 'parent_not_found') throw new ApiError(404, 'thread_not_found', 'parentId: no such comment on this page')
      if (outcome.kind === 'duplicate') throw new ApiError(409, 'duplicate_comment', 'You already posted this comment a moment ago')
      const { comment } = outcome
      const editableUntil = comment.createdAt + config.editWindowSeconds * 1000
      return c.json(
        {
          comment: readerView(comment, false),
          // Spam is answered exactly like a held comment, so a bot learns nothing.
          status: comment.status === 'approved' ? 'approved' : 'pending',
          editToken: issueEditToken(secret, comment.id, editableUntil),
          editableUntil: iso(editableUntil),
        } satisfies CommentPostResponse,
        201,
      )
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
