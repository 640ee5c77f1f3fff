import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CHECKPOINT_EVERY_MS, FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from '../../server/db/checkpointer.ts'
import { migrate } from '../../server/db/migrate.ts'
import { openDatabase, type Db } from '../../server/db/open.ts'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the checkpoint worker', () => {
  let dir: string
  let db: Db | null = null
  afterEach(() => {
    db?.close()
    db = null
    rmSync(dir, { recursive: true, force: true })
  })

  /** A migrated file database whose commits so far are all in the main file, and a writer of ~400 KB more. */
  function setUp() {
    dir = mkdtempSync(join(tmpdir(), 'voxpop-checkpoint-'))
    const path = join(dir, 'v.sqlite')
    db = openDatabase(path)
    migrate(db)
    db.pragma('wal_checkpoint(TRUNCATE)')
    const insert = db.prepare("INSERT INTO settings (key, value) VALUES (?, hex(randomblob(2000)))")
    const write = () => db!.transaction(() => {
      for (let i = 0; i < 100; i++) insert.run(`k${Math.random()}`)
    })()
    return { path, write, size: () => statSync(path).size, walSize: () => statSync(`${path}-wal`).size }
  }

  it('copies committed pages into the database file without the writer checkpointing', async () => {
    const { write, size, walSize } = setUp()
    const checkpointer = startCheckpointer(db!, 'normal')
    try {
      // The writer's own checkpoint is a fallback only, far past SQLite's default of 1000 pages.
      expect(db!.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_AUTOCHECKPOINT_PAGES)
      const before = size()
      write()
      expect(walSize()).toBeGreaterThan(200_000)
      await expect.poll(size, { timeout: 20 * CHECKPOINT_EVERY_MS, interval: 50 }).toBeGreaterThan(before + 200_000)
    } finally {
      await checkpointer.stop()
    }
    expect(db!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  })

  it('leaves the WAL alone once stopped (so the copying above was the worker)', async () => {
    const { write, size } = setUp()
    await startCheckpointer(db!, 'normal').stop()
    db!.pragma('wal_autocheckpoint = 100000')
    const before = size()
    write()
    await sleep(4 * CHECKPOINT_EVERY_MS)
    expect(size()).toBe(before)
  })
})
