import type { AdminCommentRecord } from '../db/comment-queue.ts'
import type { CommentRecord } from '../db/comments.ts'
import type { AdminCommentView, CommentView } from '../types.ts'

/** An epoch-ms time as ISO 8601 UTC, as the API writes times. */
export const iso = (ms: number) => new Date(ms).toISOString()

/**
 * The fields every view of a comment shows, in one object literal. Not a spread of another
 * object plus fields (`{ ...fields, likedByMe }`): under a stream of posts, objects made that
 * way outlived two young-generation collections (V8 promoted 1–2 KB per comment into the old
 * generation), and every scavenge pause grew with them. Measured, see README (session 7).
 */
function baseView<R extends CommentView[]>(c: CommentRecord, likedByMe: boolean, replies: R): CommentView & { replies: R } {
  return {
    id: c.id,
    parentId: c.parentId,
    replyTo: c.replyTo,
    author: c.author,
    body: c.body,
    createdAt: iso(c.createdAt),
    editedAt: c.editedAt === null ? null : iso(c.editedAt),
    likes: c.likes,
    likedByMe,
    replies,
  }
}

/**
 * A comment as readers see it: never the email; the author's own unpublished comment is
 * `pending` (spam included, so a bot cannot tell); a deleted one keeps only its place.
 */
export function readerView(c: CommentRecord, likedByMe: boolean, replies: CommentView[] = []): CommentView {
  if (c.status === 'deleted') {
    return {
      id: c.id,
      parentId: c.parentId,
      replyTo: null,
      author: null,
      body: '',
      createdAt: iso(c.createdAt),
      editedAt: null,
      likes: 0,
      likedByMe: false,
      replies,
      status: 'deleted',
    }
  }
  const view = baseView(c, likedByMe, replies)
  if (c.status !== 'approved') view.status = 'pending'
  return view
}

/** Top-level comments with their replies nested under them, in the order given. */
export function threadView(top: CommentRecord[], replies: CommentRecord[], liked: Set<number>): CommentView[] {
  const byParent = new Map<number, CommentView[]>()
  for (const r of replies) {
    const list = byParent.get(r.parentId!) ?? []
    list.push(readerView(r, liked.has(r.id)))
    byParent.set(r.parentId!, list)
  }
  return top.map((c) => readerView(c, liked.has(c.id), byParent.get(c.id) ?? []))
}

/** A comment in the admin queue: everything but the voter and IP hashes. */
export function adminView(c: AdminCommentRecord): AdminCommentView {
  return Object.assign(baseView(c, false, [] as []), { status: c.status, page: c.page, pageTitle: c.pageTitle, pageUrl: c.pageUrl, email: c.email })
}
