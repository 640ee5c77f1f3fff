import Database from 'better-sqlite3'
import type { Db } from './open.ts'

/**
 * The rate-limit counters' own database: a sibling file `<VOXPOP_DB>-ratelimit`, shared by every
 * server process on the same database, with `synchronous = NORMAL` (a counter lost in a power cut
 * costs nothing, while an fsync per request would cap the server near a hundred requests a second).
 * A separate file, not a second connection to the main one: in WAL mode every counter write there
 * invalidated the page cache of the next read on the main file, tripling the cost of a poll read.
 * A `:memory:` database cannot be shared, so it is returned as is (its table comes from 003).
 */
export function openRateLimitDb(main: Db): Db {
  if (main.memory) return main
  const db = new Database(`${main.name}-ratelimit`)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.exec(`CREATE TABLE IF NOT EXISTS rate_limits (
    key    TEXT PRIMARY KEY,
    points INTEGER NOT NULL DEFAULT 0,
    expire INTEGER
  ) STRICT;
  CREATE INDEX IF NOT EXISTS rate_limits_expire ON rate_limits (expire);`)
  return db
}
