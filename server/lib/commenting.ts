import * as z from 'zod'
import type { Config } from '../config.ts'
import type { CommentStore } from '../db/comments.ts'
import { ApiError } from '../errors.ts'
import type { CommentPostResponse } from '../types.ts'
import { createBatcher } from './batcher.ts'
import { countLinks, MAX_AUTHOR_CHARS, MAX_LINKS_UNMODERATED, MAX_TITLE_CHARS, optionalEmail, optionalText, optionalUrl, pageKey, plainText } from './comment-text.ts'
import { iso, readerView } from './comment-view.ts'
import { keyedHash, keyedHashMemo } from './crypto.ts'
import { jsonBytes } from './response-body.ts'
import { checkFormToken, issueEditToken } from './signed.ts'

/** A bot fills every field it finds; the widget renders `website` hidden and leaves it empty. */
const honeypotFilled = (value: unknown) => value !== undefined && value !== null && value !== ''

/**
 * A reader's new comment, as both the comment route and the write lane (`middleware/write-lane.ts`)
 * post it: one schema, one batcher (comments arriving together share one commit, each answered
 * only after it), one answer.
 */
export function createCommenting(deps: { comments: CommentStore; config: Readonly<Config>; secret: string; now?: () => number }) {
  const { comments, config, secret } = deps
  const now = deps.now ?? Date.now
  const voterHash = (token: string) => keyedHash(secret, 'commenter', token)
  const ipHash = keyedHashMemo(secret)
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

  return {
    /** The body of `POST /api/comments`. */
    postSchema,
    /** The text of a comment, as posts and edits take it. */
    bodyText,
    /** The reader's key in the comment tables: an HMAC of the voter token. */
    voterHash,
    /**
     * Stores a comment and resolves, after its commit, with the JSON of the `201` answer (UTF-8
     * bytes). Spam (a filled honeypot, no valid form token) is stored as such and answered like a
     * held comment. A `parentId` not in the thread is `404 thread_not_found`, the same text again
     * from the same reader `409 duplicate_comment`.
     */
    async post(input: z.output<typeof postSchema>, token: string, clientIp: string): Promise<Uint8Array<ArrayBuffer>> {
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
        voterHash: voterHash(token),
        ipHash: ipHash('comment-ip', clientIp),
        at,
      })
      if (outcome instanceof Error) throw outcome
      if (outcome.kind === 'parent_not_found') throw new ApiError(404, 'thread_not_found', 'parentId: no such comment on this page')
      if (outcome.kind === 'duplicate') throw new ApiError(409, 'duplicate_comment', 'You already posted this comment a moment ago')
      const { comment } = outcome
      const editableUntil = comment.createdAt + config.editWindowSeconds * 1000
      const answer: CommentPostResponse = {
        comment: readerView(comment, false),
        // Spam is answered exactly like a held comment, so a bot learns nothing.
        status: comment.status === 'approved' ? 'approved' : 'pending',
        editToken: issueEditToken(secret, comment.id, editableUntil),
        editableUntil: iso(editableUntil),
      }
      return jsonBytes(answer)
    },
  }
}

export type Commenting = ReturnType<typeof createCommenting>
