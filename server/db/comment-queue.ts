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
    /** One comment with its thread, or null. */
    get(id: number): AdminCommentRecord | null {
      return byId.get(id) ?? null
    },
  }
}

/** The admin queue's accessors. */
export type CommentQueue = ReturnType<typeof createCommentQueue>
