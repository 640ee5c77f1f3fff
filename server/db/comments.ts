import { writeTransaction, type Db } from './open.ts'
import type { CommentStatus } from '../types.ts'
import type { Position } from '../lib/cursor.ts'
import { sha256 } from '../lib/crypto.ts'

/** The same body from the same reader within this window is refused as a duplicate. */
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000

/** The orders a reader can list a thread in. */
export type CommentSort = 'newest' | 'oldest' | 'top'

/** A comment as stored. Times in epoch milliseconds. */
export interface CommentRecord {
  id: number
  threadId: number
  parentId: number | null
  replyTo: string | null
  author: string | null
  email: string | null
  body: string
  status: CommentStatus
  voterHash: string
  likes: number
  createdAt: number
  editedAt: number | null
}

/** A page's comment thread; `approvedCount` is kept exact with every status change. */
export interface ThreadRecord {
  id: number
  page: string
  title: string | null
  url: string | null
  approvedCount: number
}

/** A comment to store; `parentId` may name a reply, which is resolved to its top-level comment. */
export interface NewComment {
  page: string
  title: string | null
  url: string | null
  parentId: number | null
  author: string | null
  email: string | null
  body: string
  status: 'pending' | 'approved' | 'spam'
  voterHash: string
  ipHash: string
  at: number
}

/** A stored comment, or why it was not stored. */
export type PostOutcome = { kind: 'created'; comment: CommentRecord } | { kind: 'parent_not_found' } | { kind: 'duplicate' }

/** One like or unlike; answered with the new count, or null when the comment is not published. */
export interface LikeOp {
  commentId: number
  voterHash: string
  like: boolean
  at: number
}
export type LikeOutcome = { likes: number; likedByMe: boolean } | null

const COLUMNS = `c.id, c.thread_id AS threadId, c.parent_id AS parentId, c.reply_to AS replyTo, c.author, c.email,
  c.body, c.status, c.voter_hash AS voterHash, c.likes, c.created_at AS createdAt, c.edited_at AS editedAt`

/** What one reader may see: published comments and their own that are waiting (spam looks like waiting to its author). */
const visibleTo = (c: string) => `(${c}.status = 'approved' OR (${c}.status IN ('pending', 'spam') AND ${c}.voter_hash = @voter))`

const ORDER: Record<CommentSort, { index: string; after: string; order: string; outer: string }> = {
  newest: {
    index: 'comments_thread_time',
    after: '(c.created_at, c.id) < (@key, @id)',
    order: 'c.created_at DESC, c.id DESC',
    outer: 'createdAt DESC, id DESC',
  },
  oldest: { index: 'comments_thread_time', after: '(c.created_at, c.id) > (@key, @id)', order: 'c.created_at, c.id', outer: 'createdAt, id' },
  top: { index: 'comments_thread_likes', after: '(c.likes, c.id) < (@key, @id)', order: 'c.likes DESC, c.id DESC', outer: 'likes DESC, id DESC' },
}

/**
 * One page of top-level comments as three index-ordered parts merged: the published ones, the
 * reader's own held ones, and deleted placeholders that still have replies the reader sees.
 * Each part reads only its own rows, so a flood of spam or pending comments never has to be
 * skipped over; INDEXED BY keeps the planner from trading the order for a sort once ANALYZE
 * has run (it otherwise takes `parent_id IS NULL` for a selective equality).
 */
function listSql(sort: CommentSort): string {
  const { index, after, order, outer } = ORDER[sort]
  const part = (indexed: string, where: string) =>
    `SELECT * FROM (SELECT ${COLUMNS} FROM comments c INDEXED BY ${indexed}
       WHERE c.thread_id = @thread AND c.parent_id IS NULL AND ${after} AND ${where}
       ORDER BY ${order} LIMIT @limit)`
  return [
    part(index, "c.status = 'approved'"),
    part('comments_duplicate', "c.voter_hash = @voter AND c.status IN ('pending', 'spam')"),
    part(index, `c.status = 'deleted' AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND ${visibleTo('r')})`),
  ].join(' UNION ALL ') + ` ORDER BY ${outer} LIMIT @limit`
}

/** Where a first page starts: before every row in the list's order. */
export function startOf(sort: CommentSort): Position {
  return sort === 'oldest' ? { key: Number.MIN_SAFE_INTEGER, id: 0 } : { key: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER }
}

/** The keyset position of a row in a list sorted by `sort`. */
export function positionOf(sort: CommentSort, c: CommentRecord): Position {
  return { key: sort === 'top' ? c.likes : c.createdAt, id: c.id }
}

const approvedDelta = (from: CommentStatus | null, to: CommentStatus | null) => (to === 'approved' ? 1 : 0) - (from === 'approved' ? 1 : 0)

/** Prepares every comment statement once and returns synchronous accessors. */
export function createCommentStore(db: Db) {
  const listTop = (sort: CommentSort) => db.prepare<Record<string, unknown>, CommentRecord>(listSql(sort))
  const q = {
    list: { newest: listTop('newest'), oldest: listTop('oldest'), top: listTop('top') },
    replies: db.prepare<Record<string, unknown>, CommentRecord>(
      `SELECT ${COLUMNS} FROM comments c INDEXED BY comments_parent
       WHERE c.parent_id IN (SELECT value FROM json_each(@ids)) AND c.status = 'approved'
       UNION ALL
       SELECT ${COLUMNS} FROM comments c INDEXED BY comments_duplicate
       WHERE c.voter_hash = @voter AND c.parent_id IN (SELECT value FROM json_each(@ids)) AND c.status IN ('pending', 'spam')
       ORDER BY parentId, createdAt, id`,
    ),
    likedBy: db.prepare<[string, string], { id: number }>(
      'SELECT comment_id AS id FROM comment_likes WHERE voter_hash = ? AND comment_id IN (SELECT value FROM json_each(?))',
    ),
    get: db.prepare<[number], CommentRecord>(`SELECT ${COLUMNS} FROM comments c WHERE c.id = ?`),
    visible: db.prepare<Record<string, unknown>, CommentRecord>(
      `SELECT ${COLUMNS} FROM comments c WHERE c.id = @id AND c.thread_id = @thread AND ${visibleTo('c')}`,
    ),
    thread: db.prepare<[string], ThreadRecord>('SELECT id, page, title, url, approved_count AS approvedCount FROM threads WHERE page = ?'),
    // The thread of a new comment, made if need be, with the comment already in its count: one
    // statement where a lookup, an insert and a count update would be three.
    upsertThread: db.prepare<Record<string, unknown>, { id: number }>(
      `INSERT INTO threads (page, title, url, created_at, approved_count) VALUES (@page, @title, @url, @at, @approved)
       ON CONFLICT (page) DO UPDATE SET title = coalesce(excluded.title, title), url = coalesce(excluded.url, url),
         approved_count = approved_count + excluded.approved_count
       RETURNING id`,
    ),
    counts: db.prepare<[string], { page: string; n: number }>(
      'SELECT page, approved_count AS n FROM threads WHERE page IN (SELECT value FROM json_each(?))',
    ),
    duplicate: db.prepare<[string, string, number], { one: number }>(
      'SELECT 1 AS one FROM comments WHERE voter_hash = ? AND body_hash = ? AND created_at > ? LIMIT 1',
    ),
    insert: db.prepare<Record<string, unknown>, CommentRecord>(
      `INSERT INTO comments (thread_id, parent_id, reply_to, author, email, body, status, voter_hash, ip_hash, body_hash, created_at)
       VALUES (@thread, @parent, @replyTo, @author, @email, @body, @status, @voterHash, @ipHash, @bodyHash, @at)
       RETURNING ${COLUMNS.replaceAll('c.', '')}`,
    ),
    bumpApproved: db.prepare('UPDATE threads SET approved_count = approved_count + ? WHERE id = ?'),
    setStatus: db.prepare('UPDATE comments SET status = ? WHERE id = ?'),
    setBody: db.prepare('UPDATE comments SET body = @body, body_hash = @bodyHash, status = @status, edited_at = @at WHERE id = @id'),
    // The author asked for it to go: only the place in the thread stays, for the replies' sake.
    softDelete: db.prepare(
      "UPDATE comments SET status = 'deleted', body = '', body_hash = '', author = NULL, email = NULL WHERE id = ?",
    ),
    hasReplies: db.prepare<[number], { one: number }>('SELECT 1 AS one FROM comments WHERE parent_id = ? LIMIT 1'),
    approvedInFamily: db.prepare<[number, number], { n: number }>(
      "SELECT count(*) AS n FROM comments WHERE (id = ? OR parent_id = ?) AND +status = 'approved'",
    ),
    // Replies go with their parent through ON DELETE CASCADE, likes with their comment.
    delete: db.prepare('DELETE FROM comments WHERE id = ?'),
    dropEmptyPlaceholder: db.prepare(
      "DELETE FROM comments WHERE id = @id AND status = 'deleted' AND NOT EXISTS (SELECT 1 FROM comments WHERE parent_id = @id)",
    ),
    publishedLikes: db.prepare<[number], { likes: number }>("SELECT likes FROM comments WHERE id = ? AND status = 'approved'"),
    addLike: db.prepare('INSERT INTO comment_likes (comment_id, voter_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    removeLike: db.prepare('DELETE FROM comment_likes WHERE comment_id = ? AND voter_hash = ?'),
    bumpLikes: db.prepare<[number, number], { likes: number }>('UPDATE comments SET likes = likes + ? WHERE id = ? RETURNING likes'),
  }

  function adjustCount(threadId: number, from: CommentStatus | null, to: CommentStatus | null) {
    const delta = approvedDelta(from, to)
    if (delta !== 0) q.bumpApproved.run(delta, threadId)
  }

  const postTx = writeTransaction(db, (c: NewComment): PostOutcome => {
    let parentId: number | null = null
    let replyTo: string | null = null
    if (c.parentId !== null) {
      const thread = q.thread.get(c.page)
      const parent = thread && q.visible.get({ id: c.parentId, thread: thread.id, voter: c.voterHash })
      if (!parent) return { kind: 'parent_not_found' }
      // Replies stay one level deep: answering a reply joins its top-level thread, addressed to its author.
      parentId = parent.parentId ?? parent.id
      replyTo = parent.parentId === null ? null : parent.author
    }
    const bodyHash = sha256(c.body)
    if (q.duplicate.get(c.voterHash, bodyHash, c.at - DUPLICATE_WINDOW_MS)) return { kind: 'duplicate' }
    const approved = approvedDelta(null, c.status)
    const thread = q.upsertThread.get({ page: c.page, title: c.title, url: c.url, at: c.at, approved })!.id
    // The insert's parameters as one literal, not `{ ...c, thread, … }`: objects made by a spread
    // plus fields outlived two young-generation collections under a stream of posts (see
    // lib/comment-view.ts), and every scavenge copied them.
    const row = { thread, parent: parentId, replyTo, author: c.author, email: c.email, body: c.body, status: c.status, voterHash: c.voterHash, ipHash: c.ipHash, bodyHash, at: c.at }
    return { kind: 'created', comment: q.insert.get(row)! }
  })

  const postManyTx = writeTransaction(db, (comments: NewComment[]) =>
    comments.map((c): PostOutcome | Error => {
      try {
        return postTx(c)
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error))
      }
    }),
  )
  const editTx = writeTransaction(db, (id: number, body: string, status: CommentStatus, at: number): CommentRecord | null => {
    const old = q.get.get(id)
    if (!old) return null
    q.setBody.run({ id, body, bodyHash: sha256(body), status, at })
    adjustCount(old.threadId, old.status, status)
    return q.get.get(id)!
  })

  const moderateTx = writeTransaction(db, (id: number, status: 'approved' | 'rejected'): boolean => {
    const old = q.get.get(id)
    if (!old || old.status === 'deleted') return false
    q.setStatus.run(status, id)
    adjustCount(old.threadId, old.status, status)
    return true
  })

  const removeTx = writeTransaction(db, (id: number): 'hard' | 'soft' | 'not_found' => {
    const old = q.get.get(id)
    if (!old || old.status === 'deleted') return 'not_found'
    adjustCount(old.threadId, old.status, null)
    if (q.hasReplies.get(id)) {
      q.softDelete.run(id)
      return 'soft'
    }
    q.delete.run(id)
    if (old.parentId !== null) q.dropEmptyPlaceholder.run({ id: old.parentId })
    return 'hard'
  })

  const purgeTx = writeTransaction(db, (id: number): boolean => {
    const old = q.get.get(id)
    if (!old) return false
    q.bumpApproved.run(-q.approvedInFamily.get(id, id)!.n, old.threadId)
    q.delete.run(id)
    if (old.parentId !== null) q.dropEmptyPlaceholder.run({ id: old.parentId })
    return true
  })

  const likeTx = writeTransaction(db, (ops: LikeOp[]): LikeOutcome[] =>
    ops.map((op) => {
      const row = q.publishedLikes.get(op.commentId)
      if (!row) return null
      const changed = op.like
        ? q.addLike.run(op.commentId, op.voterHash, op.at).changes
        : q.removeLike.run(op.commentId, op.voterHash).changes
      // The counter moves only when the like row did, so repeats and races change nothing.
      const likes = changed ? q.bumpLikes.get(op.like ? 1 : -1, op.commentId)!.likes : row.likes
      return { likes, likedByMe: op.like }
    }),
  )

  return {
    /** The thread known by this page key, or null. */
    thread(page: string): ThreadRecord | null {
      return q.thread.get(page) ?? null
    },
    /** A comment by id, in any status, or null. */
    get(id: number): CommentRecord | null {
      return q.get.get(id) ?? null
    },
    /** One page of top-level comments visible to `voter` (null: an anonymous reader), after `after`. */
    listTop(threadId: number, sort: CommentSort, after: Position, limit: number, voter: string | null): CommentRecord[] {
      return q.list[sort].all({ thread: threadId, key: after.key, id: after.id, limit, voter })
    },
    /** Every reply `voter` may see under these top-level comments, oldest first: one query. */
    replies(parentIds: number[], voter: string | null): CommentRecord[] {
      return parentIds.length ? q.replies.all({ ids: JSON.stringify(parentIds), voter }) : []
    },
    /** Which of these comments `voter` has liked. */
    likedBy(ids: number[], voter: string): Set<number> {
      return new Set(ids.length ? q.likedBy.all(voter, JSON.stringify(ids)).map((r) => r.id) : [])
    },
    /** Approved comments per page key (replies included), for the keys that have a thread. */
    counts(pages: string[]): Map<string, number> {
      return new Map(q.counts.all(JSON.stringify(pages)).map((r) => [r.page, r.n]))
    },
    /** Stores a comment (creating its thread), its counter with it; or says why not. */
    post(comment: NewComment): PostOutcome {
      return postTx(comment)
    },
    /**
     * Stores several comments in one transaction (one commit for all). Each is its own savepoint:
     * one that fails is rolled back alone and comes back as its error.
     */
    postMany(comments: NewComment[]): (PostOutcome | Error)[] {
      return postManyTx(comments)
    },
    /** Replaces a comment's body and status, keeping the thread's count exact. */
    edit(id: number, body: string, status: CommentStatus, at: number): CommentRecord | null {
      return editTx(id, body, status, at)
    },
    /** Approves or rejects a comment; false when there is none (or only a deleted placeholder). */
    moderate(id: number, status: 'approved' | 'rejected'): boolean {
      return moderateTx(id, status)
    },
    /** An author's delete: gone, or a placeholder when replies hang on it. */
    remove(id: number): 'hard' | 'soft' | 'not_found' {
      return removeTx(id)
    },
    /** An editor's delete: the comment and all its replies; false when there was none. */
    purge(id: number): boolean {
      return purgeTx(id)
    },
    /** Applies likes and unlikes atomically, one outcome per op. */
    like(ops: LikeOp[]): LikeOutcome[] {
      return likeTx(ops)
    },
  }
}

/** The comment store's accessors. */
export type CommentStore = ReturnType<typeof createCommentStore>
