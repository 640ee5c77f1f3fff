import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './open.ts'

/** How often the worker copies the WAL back into the database file (ms). */
export const CHECKPOINT_EVERY_MS = 250
/**
 * The main connection still checkpoints by itself past this many WAL pages (160 MB), should the
 * worker ever fall behind or die; SQLite's default is 1000.
 *
 * Under a steady stream of commits the WAL is never found fully copied by a passive checkpoint,
 * so it is never restarted from its beginning and keeps growing until this fallback checkpoints
 * in the commit that crosses it: on the event loop, 20–40 ms here (the frames since the worker's
 * last pass and two fsyncs). At 10 000 pages that happened about once a second under a stream
 * of comment posts and made their p99 (28–37 ms against 19–21 ms at 100 000 pages, A/B). 40 000
 * pages makes it four times rarer for a WAL of at most 160 MB between restarts.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 40_000

// Plain CommonJS evaluated in the worker: it needs no TypeScript loader and no bundling, in the
// sources and in dist/server.mjs alike. better-sqlite3 is passed as a resolved path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 5000')
db.pragma('synchronous = ' + workerData.sync)
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch (error) { parentPort.postMessage(String(error)) }
}, workerData.everyMs)
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close() })
`

export interface Checkpointer {
  /** Stops the worker after its current checkpoint; the database stays open. */
  stop(): Promise<void>
}

/**
 * Moves WAL checkpoints off the event loop. SQLite normally checkpoints inside the commit that
 * pushes the WAL past 1000 pages, and a checkpoint writes pages back and fsyncs (even with
 * `synchronous=NORMAL`): a vote batch that happens to trigger one took up to 20 ms here, holding
 * every request behind it. A worker thread with its own connection runs a PASSIVE checkpoint
 * (never blocking writers or readers) every CHECKPOINT_EVERY_MS instead. Not for `:memory:`.
 */
export function startCheckpointer(db: Db, sync: 'normal' | 'full', log: (message: string) => void = console.error): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`)
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: db.name,
      sync: sync === 'full' ? 'FULL' : 'NORMAL',
      everyMs: CHECKPOINT_EVERY_MS,
    },
  })
  worker.unref()
  let stopped = false
  const restoreDefault = () => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000')
  }
  worker.on('message', (message) => log(`voxpop: checkpoint failed: ${String(message)}`))
  worker.on('error', (error) => {
    log(`voxpop: checkpoint worker failed, checkpoints go back to the commits: ${error.message}`)
    restoreDefault()
  })
  return {
    stop() {
      if (stopped) return Promise.resolve()
      stopped = true
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      worker.postMessage('stop')
      return exited.then(restoreDefault)
    },
  }
}
