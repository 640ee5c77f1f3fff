import type { Db } from './open.ts'
import type { CommentRecord } from './comments.ts'
import type { CommentStatus } from '../types.ts'
import type { Position } from '../lib/cursor.ts'

/** A comment with the thread it belongs to, for the admin console. */
export interface AdminCommentRecord extends CommentRecord {
  page: string
  pageTitle: string | null
  pageUrl: string | null
}

/** Filters of the admin queue; `status: 'all'` and a null thread mean "any". */
export interface AdminFilter {
  status: CommentStatus | 'all'
  threadId: number | null
  /** Case-insensitive (ASCII) substring of body or author. */
  q: string | null
}

const COLUMNS = `c.id, c.thread_id AS threadId, c.parent_id AS parentId, c.reply_to AS replyTo, c.author, c.email,
  c.body, c.status, c.voter_hash AS voterHash, c.likes, c.created_at AS createdAt, c.edited_at AS editedAt,
  t.page, t.title AS pageTitle, t.url AS pageUrl`

/** A thread with comments of some status, for the moderation console's article picker. */
export interface ThreadSummary {
  page: string
  title: string | null
  url: string | null
  /** Comments of that status in the thread (every comment for `all`). */
  count: number
  /** The newest of them, epoch ms. */
  lastAt: number
}

/**
 * The article picker looks for threads among this many of a status's newest comments, so its
 * cost stays bounded however many comments the site holds; the counts are exact all the same.
 */
export const THREAD_PICKER_SCAN = 5000

/**
 * Threads in order of their newest comment of `@status` (any status without `byStatus`), among the
 * newest `@scan` such comments, read off the (status, created_at) or (created_at) index. Only
 * the `@limit` first are counted: each count a range of (thread_id, status, created_at), or the
 * kept `approved_count` for approved comments.
 */
export function threadPickerSql(byStatus: boolean): string {
  const count = byStatus
    ? "CASE WHEN @status = 'approved' THEN t.approved_count ELSE (SELECT count(*) FROM comments k WHERE k.thread_id = t.id AND k.status = @status) END"
    : '(SELECT count(*) FROM comments k WHERE k.thread_id = t.id)'
  return `SELECT t.page, t.title, t.url, r.lastAt, ${count} AS count
    FROM (SELECT thread_id, max(created_at) AS lastAt
          FROM (SELECT thread_id, created_at FROM comments ${byStatus ? 'WHERE status = @status' : ''} ORDER BY created_at DESC LIMIT @scan)
          GROUP BY thread_id ORDER BY lastAt DESC, thread_id DESC LIMIT @limit) r
    JOIN threads t ON t.id = r.thread_id
    ORDER BY r.lastAt DESC, t.id DESC`
}

/** Where the newest-first admin list starts. */
export const QUEUE_START: Position = { key: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER }

/** A LIKE pattern matching `text` anywhere, with its own wildcards taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
}

/** The admin queue: every comment with its thread, newest first, filtered by status, page and text. */
export function createCommentQueue(db: Db) {
  // One statement per combination of filters, so SQLite can pick the (status, created_at) or
  // (thread_id, status, created_at) index instead of scanning behind an `@x IS NULL OR` guard.
  const where = (byStatus: boolean, byThread: boolean) =>
    [
      byStatus ? 'c.status = @status' : '1',
      byThread ? 'c.thread_id = @thread' : '1',
      "(@q IS NULL OR c.body LIKE @q ESCAPE '\\' OR c.author LIKE @q ESCAPE '\\')",
    ].join(' AND ')
  const prepare = (byStatus: boolean, byThread: boolean) => ({
    list: db.prepare<Record<string, unknown>, AdminCommentRecord>(
      `SELECT ${COLUMNS} FROM comments c JOIN threads t ON t.id = c.thread_id
       WHERE ${where(byStatus, byThread)} AND (c.created_at, c.id) < (@key, @id)
       ORDER BY c.created_at DESC, c.id DESC LIMIT @limit`,
    ),
    count: db.prepare<Record<string, unknown>, { n: number }>(
      `SELECT count(*) AS n FROM comments c WHERE ${where(byStatus, byThread)}`,
    ),
  })
  const variants = [prepare(false, false), prepare(true, false), prepare(false, true), prepare(true, true)]
  const threadsOf = (byStatus: boolean) => db.prepare<Record<string, unknown>, ThreadSummary>(threadPickerSql(byStatus))
  const threads = { all: threadsOf(false), byStatus: threadsOf(true) }
  const byId = db.prepare<[number], AdminCommentRecord>(
    `SELECT ${COLUMNS} FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.id = ?`,
  )

  function pick(filter: AdminFilter) {
    const variant = variants[(filter.status === 'all' ? 0 : 1) + (filter.threadId === null ? 0 : 2)]!
    const params = { status: filter.status, thread: filter.threadId, q: filter.q === null ? null : containing(filter.q) }
    return { variant, params }
  }

  return {
    /** One page of the queue after `after`, newest first. */
    list(filter: AdminFilter, after: Position, limit: number): AdminCommentRecord[] {
      const { variant, params } = pick(filter)
      return variant.list.all({ ...params, key: after.key, id: after.id, limit })
    },
    /** How many comments match the filters in all. */
    count(filter: AdminFilter): number {
      const { variant, params } = pick(filter)
      return variant.count.get(params)!.n
    },
    /** Threads with comments of `status`, the most recently commented first. */
    threads(status: AdminFilter['status'], limit: number): ThreadSummary[] {
      const statement = status === 'all' ? threads.all : threads.byStatus
      return statement.all({ status, scan: THREAD_PICKER_SCAN, limit })
    },
    /** One comment with its thread, or null. */
    get(id: number): AdminCommentRecord | null {
      return byId.get(id) ?? null
    },
  }
}

/** The admin queue's accessors. */
export type CommentQueue = ReturnType<typeof createCommentQueue>
