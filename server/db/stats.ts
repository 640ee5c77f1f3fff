import type { Db } from './open.ts'

/** Ballots of one poll in one quarter hour (UTC): the finest grain any time zone needs. */
export interface QuarterCount {
  quarter: number
  counted: number
  flagged: number
}

/** A quarter hour in milliseconds: every time zone's offset is a whole number of these. */
export const QUARTER_MS = 15 * 60 * 1000

/** Counts for the admin dashboard and the votes-over-time chart; read-only. */
export function createStatsStore(db: Db) {
  const q = {
    openPolls: db.prepare<[number, number], { n: number }>(
      `SELECT count(*) AS n FROM polls
       WHERE (opens_at IS NULL OR opens_at <= ?) AND (closes_at IS NULL OR closes_at > ?)`,
    ),
    pendingComments: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM comments WHERE status = 'pending'`),
    // CROSS JOIN keeps polls as the outer loop, so each poll's votes are a range of the
    // (poll_id, created_at) index instead of a scan of every vote ever cast.
    votesSince: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM polls p CROSS JOIN votes v ON v.poll_id = p.id WHERE v.created_at >= ?',
    ),
    // Listed statuses (not `!= 'spam'`) let SQLite use the (status, created_at) index.
    commentsSince: db.prepare<[number], { n: number }>(
      `SELECT count(*) AS n FROM comments
       WHERE status IN ('pending', 'approved', 'rejected', 'deleted') AND created_at >= ?`,
    ),
    // Integer division by a literal: a bound JS number would arrive as a REAL and divide exactly.
    quarters: db.prepare<[string], QuarterCount>(
      `SELECT created_at / ${QUARTER_MS} AS quarter, sum(status = 'counted') AS counted, sum(status = 'flagged') AS flagged
       FROM votes WHERE poll_id = ? GROUP BY quarter ORDER BY quarter`,
    ),
  }

  return {
    /** Polls taking votes at `now`. */
    openPolls(now: number): number {
      return q.openPolls.get(now, now)!.n
    },
    /** Comments waiting for a moderator. */
    pendingComments(): number {
      return q.pendingComments.get()!.n
    },
    /** Ballots (counted and flagged) stored since `since`. */
    votesSince(since: number): number {
      return q.votesSince.get(since)!.n
    },
    /** Comments received since `since`, spam excluded. */
    commentsSince(since: number): number {
      return q.commentsSince.get(since)!.n
    },
    /** A poll's ballots per quarter hour, oldest first. */
    voteQuarters(pollId: string): QuarterCount[] {
      return q.quarters.all(pollId)
    },
  }
}

export type StatsStore = ReturnType<typeof createStatsStore>
