import Database from 'better-sqlite3'
import type { Db } from './open.ts'

/**
 * A second connection to the same file for the rate-limit counters, with `synchronous = NORMAL`:
 * a counter lost in a power cut costs nothing, while an fsync on every request (the votes
 * connection runs FULL) would cap the server near a hundred requests a second. A `:memory:`
 * database cannot be shared, so it is returned as is.
 */
export function openRateLimitDb(main: Db): Db {
  if (main.memory) return main
  const db = new Database(main.name)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  return db
}
