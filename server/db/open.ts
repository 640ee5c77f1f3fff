import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type Db = Database.Database

/**
 * Opens (creating its folder if needed) a SQLite database tuned for a small always-on service.
 *
 * WAL lets readers run while a vote commits. `sync` is SQLite's `synchronous`:
 * - `normal` (the default): a commit is written to the WAL file before it is acknowledged, so it
 *   survives the process being killed (`kill -9`, a crash, an out-of-memory kill); the WAL is
 *   fsynced at checkpoints, so a power cut or kernel crash can lose the last moments of commits.
 * - `full`: every commit is also fsynced before it is acknowledged — durable across a power cut,
 *   at one fdatasync per commit (about 6 ms on this machine's disk; votes arriving together share one).
 */
export function openDatabase(path: string, sync: 'normal' | 'full' = 'normal'): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  // Savepoint and statement journals in memory: on disk (SQLite's default past 64 KiB) every
  // comment of a batch wrote the pages it touched to a temporary file, ~9 writes per comment.
  db.pragma('temp_store = MEMORY')
  return db
}

/**
 * A transaction that takes the write lock when it begins (`BEGIN IMMEDIATE`), waiting up to
 * `busy_timeout` for it. Every write transaction goes through here: with a second writer on the
 * file (another server process, a script), a deferred transaction that reads and then writes
 * fails at once with SQLITE_BUSY — no waiting — if the other committed in between.
 */
export function writeTransaction<A extends unknown[], R>(db: Db, fn: (...args: A) => R): (...args: A) => R {
  return db.transaction(fn).immediate
}
