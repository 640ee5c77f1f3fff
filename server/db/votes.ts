import { writeTransaction, type Db } from './open.ts'

/** A ballot the per-IP cap held back, as an editor reviews it. */
export interface FlaggedVote {
  id: number
  optionIds: string[]
  /** A short, poll-scoped fingerprint of the address hash: equal values came from one address. */
  ipGroup: string
  createdAt: number
}

/** How many flagged ballots are listed at most, newest first. */
export const FLAGGED_LIST_LIMIT = 1000

/** Reviewing and re-admitting ballots that the per-IP cap stored as `flagged`. */
export function createVoteStore(db: Db) {
  const q = {
    flagged: db.prepare<[string, number], { id: number; option_ids: string; ip_hash: string; created_at: number }>(
      `SELECT id, option_ids, ip_hash, created_at FROM votes WHERE poll_id = ? AND status = 'flagged'
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    ),
    flaggedOne: db.prepare<[number, string], { option_ids: string }>(
      `SELECT option_ids FROM votes WHERE id = ? AND poll_id = ? AND status = 'flagged'`,
    ),
    flaggedIds: db.prepare<[string], { id: number }>(`SELECT id FROM votes WHERE poll_id = ? AND status = 'flagged'`),
    count: db.prepare<[number], { id: number }>(`UPDATE votes SET status = 'counted' WHERE id = ? AND status = 'flagged' RETURNING id`),
    bumpOption: db.prepare('UPDATE poll_options SET votes = votes + 1 WHERE id = ? AND poll_id = ?'),
    bumpPoll: db.prepare(
      `UPDATE polls SET total_voters = total_voters + 1, total_votes = total_votes + ?, flagged_votes = flagged_votes - 1
       WHERE id = ?`,
    ),
  }

  /** Turns flagged ballots into counted ones with their counters, all in one transaction. */
  const readmitTx = writeTransaction(db, (pollId: string, ids: number[] | 'all'): number => {
    const targets = ids === 'all' ? q.flaggedIds.all(pollId).map((r) => r.id) : ids
    let readmitted = 0
    for (const id of new Set(targets)) {
      const row = q.flaggedOne.get(id, pollId)
      if (!row || !q.count.get(id)) continue
      const optionIds = JSON.parse(row.option_ids) as string[]
      for (const optionId of optionIds) q.bumpOption.run(optionId, pollId)
      q.bumpPoll.run(optionIds.length, pollId)
      readmitted++
    }
    return readmitted
  })

  return {
    /** The poll's flagged ballots, newest first (at most FLAGGED_LIST_LIMIT). */
    flagged(pollId: string): FlaggedVote[] {
      return q.flagged.all(pollId, FLAGGED_LIST_LIMIT).map((r) => ({
        id: r.id,
        optionIds: JSON.parse(r.option_ids) as string[],
        ipGroup: r.ip_hash.slice(0, 8),
        createdAt: r.created_at,
      }))
    },
    /** Counts the given flagged ballots of this poll (or all of them); ids not flagged here are skipped. Returns how many. */
    readmit(pollId: string, ids: number[] | 'all'): number {
      return readmitTx(pollId, ids)
    },
  }
}

export type VoteStore = ReturnType<typeof createVoteStore>
