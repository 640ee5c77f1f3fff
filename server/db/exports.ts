import type { Db } from './open.ts'

/**
 * One stored ballot as the votes export reads it: an array, not an object — a million objects of
 * six properties cost 1.4 s of a 3.0 s read here (better-sqlite3's `raw` mode).
 */
export type VoteRow = [id: number, createdAt: number, optionIds: string, status: 'counted' | 'flagged', voterHash: string, ipHash: string]

/** One comment with its thread, as the comments export reads it. */
export interface CommentRow {
  id: number
  page: string
  title: string | null
  parent_id: number | null
  author: string | null
  body: string
  status: string
  likes: number
  created_at: number
}

/** Which comments to export: a status (or all) and optionally one thread's page key. */
export interface CommentFilter {
  status: string | null
  page: string | null
}

/**
 * Rows read per chunk: small enough to keep memory flat, large enough that SQLite stays fast. A
 * chunk's CSV text stays under V8's large-object threshold (~128 KB; a votes row is ~160 bytes):
 * 1000 rows made every chunk a large object of its own, and the 1M-vote export took 5.7–7.9 s
 * instead of 4.5–5.5 s.
 */
export const EXPORT_CHUNK_ROWS = 250

/**
 * Read-only queries behind the CSV exports, paged by keyset. A chunk is read with `all()` and the
 * statement is finished before the chunk is handed on: better-sqlite3 refuses every write on a
 * connection while an `iterate()` is open, so an iterator held across event-loop turns would make
 * votes fail for as long as an export runs.
 */
export function createExportStore(db: Db) {
  const q = {
    lastVoteId: db.prepare<[string], { id: number | null }>('SELECT max(id) AS id FROM votes WHERE poll_id = ?'),
    // (created_at, id) follows the votes_poll_time index (poll_id, created_at, rowid): no sort step.
    votes: db
      .prepare<[string, number, number, number, number], VoteRow>(
        `SELECT id, created_at, option_ids, status, voter_hash, ip_hash FROM votes
         WHERE poll_id = ? AND (created_at, id) > (?, ?) AND id <= ?
         ORDER BY created_at, id LIMIT ?`,
      )
      .raw(true),
    lastCommentId: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM comments'),
    threadId: db.prepare<[string], { id: number }>('SELECT id FROM threads WHERE page = ?'),
    comments: db.prepare<[number, number, string | null, string | null, number | null, number | null, number], CommentRow>(
      `SELECT c.id, t.page, t.title, c.parent_id, c.author, c.body, c.status, c.likes, c.created_at
       FROM comments c JOIN threads t ON t.id = c.thread_id
       WHERE c.id > ? AND c.id <= ? AND (? IS NULL OR c.status = ?) AND (? IS NULL OR c.thread_id = ?)
       ORDER BY c.id LIMIT ?`,
    ),
  }

  return {
    /** A poll's ballots oldest first, `size` at a time; only those stored when the export began. */
    *votes(pollId: string, size = EXPORT_CHUNK_ROWS): Generator<VoteRow[]> {
      const last = q.lastVoteId.get(pollId)!.id
      if (last === null) return
      let after = { createdAt: Number.MIN_SAFE_INTEGER, id: 0 }
      for (;;) {
        const rows = q.votes.all(pollId, after.createdAt, after.id, last, size)
        if (rows.length === 0) return
        const [id, createdAt] = rows[rows.length - 1]!
        after = { createdAt, id }
        yield rows
        if (rows.length < size) return
      }
    },
    /** Comments oldest first, `size` at a time; only those stored when the export began. */
    *comments(filter: CommentFilter, size = EXPORT_CHUNK_ROWS): Generator<CommentRow[]> {
      const last = q.lastCommentId.get()!.id
      if (last === null) return
      let threadId: number | null = null
      if (filter.page !== null) {
        const thread = q.threadId.get(filter.page)
        if (!thread) return
        threadId = thread.id
      }
      let after = 0
      for (;;) {
        const rows = q.comments.all(after, last, filter.status, filter.status, threadId, threadId, size)
        if (rows.length === 0) return
        after = rows[rows.length - 1]!.id
        yield rows
        if (rows.length < size) return
      }
    },
  }
}

export type ExportStore = ReturnType<typeof createExportStore>
