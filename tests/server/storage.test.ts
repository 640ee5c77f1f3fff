import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { migrate } from '../../server/db/migrate.ts'
import { openDatabase, writeTransaction, type Db } from '../../server/db/open.ts'
import { resolveSecret } from '../../server/db/settings.ts'
import { keyedHash } from '../../server/lib/crypto.ts'
import { CLIENT_IP, createTestApp, everyStoredValue, newVoter, SECRET } from './helpers.ts'

function schemaOf(db: Db) {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all()
}

describe('write transactions with a second writer on the file', () => {
  it('hold the write lock from BEGIN, so a commit elsewhere cannot slip between their read and their write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxpop-immediate-'))
    const path = join(dir, 'v.sqlite')
    const a = openDatabase(path)
    const b = openDatabase(path)
    try {
      a.exec('CREATE TABLE n (v INTEGER)')
      a.exec('INSERT INTO n VALUES (1)')
      b.pragma('busy_timeout = 0')
      const bump = writeTransaction(a, () => {
        const v = a.prepare('SELECT v FROM n').pluck().get() as number
        // Another connection (another server process) tries to commit meanwhile: it must wait.
        expect(() => b.exec('UPDATE n SET v = 100')).toThrow(/busy|locked/i)
        a.prepare('UPDATE n SET v = ?').run(v + 1)
      })
      bump()
      expect(b.prepare('SELECT v FROM n').pluck().get()).toBe(2)
      // A deferred transaction, for contrast: the other commit gets in, and this write then fails.
      const deferred = a.transaction(() => {
        a.prepare('SELECT v FROM n').pluck().get()
        b.exec('UPDATE n SET v = 100')
        a.prepare('UPDATE n SET v = v + 1').run()
      })
      expect(() => deferred()).toThrow(/locked|busy/i)
    } finally {
      a.close()
      b.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('migrations', () => {
  it('apply once on a new database and change nothing the second time', () => {
    const db = openDatabase(':memory:')
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(migrate(db)).toBeGreaterThan(0)
    const version = db.pragma('user_version', { simple: true })
    const schema = schemaOf(db)
    expect(version).toBeGreaterThan(0)
    expect(schema.map((s) => (s as { name: string }).name)).toEqual(expect.arrayContaining(['polls', 'poll_options', 'votes']))
    expect(migrate(db)).toBe(0)
    expect(db.pragma('user_version', { simple: true })).toBe(version)
    expect(schemaOf(db)).toEqual(schema)
    db.close()
  })

  it('leave existing data alone when run again', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const voter = newVoter()
    await t.vote(poll.id, voter, [poll.options[0]!.id])
    expect(migrate(t.db)).toBe(0)
    expect((await t.viewPoll(poll.id, voter)).myVote).toEqual([poll.options[0]!.id])
  })

  it('open file databases in WAL mode with foreign keys on and journals of savepoints in memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxpop-wal-'))
    try {
      const db = openDatabase(join(dir, 'nested', 'v.sqlite'))
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      // 2 = MEMORY: a batch of comments (a savepoint each) writes no temporary files.
      expect(db.pragma('temp_store', { simple: true })).toBe(2)
      // NORMAL by default (a commit survives the process being killed), FULL when VOXPOP_DB_SYNC=full.
      expect(db.pragma('synchronous', { simple: true })).toBe(1)
      db.close()
      const full = openDatabase(join(dir, 'nested', 'v.sqlite'), loadConfig({ VOXPOP_DB_SYNC: 'full' }).dbSync)
      expect(full.pragma('synchronous', { simple: true })).toBe(2)
      full.close()
      expect(() => loadConfig({ VOXPOP_DB_SYNC: 'off' })).toThrow(/VOXPOP_DB_SYNC/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('a file database across a restart', () => {
  let dir: string | null = null
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = null
  })

  it('keeps every acknowledged vote, the reader’s choice and the hashing secret', async () => {
    dir = mkdtempSync(join(tmpdir(), 'voxpop-restart-'))
    const path = join(dir, 'voxpop.sqlite')
    const voter = newVoter()

    let db = openDatabase(path)
    expect(migrate(db)).toBeGreaterThan(0)
    // Like main.ts: no VOXPOP_SECRET, so the secret is generated once and kept in the database.
    const before = createTestApp({ db, secret: resolveSecret(db, null) })
    const poll = await before.createPoll({ options: ['A', 'B', 'C'], resultsVisibility: 'always' })
    const [a, b] = poll.options.map((o) => o.id)
    expect((await before.vote(poll.id, voter, [b!])).status).toBe(201)
    await before.voteAsNewReader(poll.id, [a!])
    await before.voteAsNewReader(poll.id, [b!])
    db.close()

    db = openDatabase(path)
    try {
      expect(migrate(db)).toBe(0)
      const after = createTestApp({ db, secret: resolveSecret(db, null) })
      const view = await after.viewPoll(poll.id, voter)
      expect(view.myVote).toEqual([b])
      expect(view.results).toEqual({
        totalVotes: 3,
        totalVoters: 3,
        options: [
          { id: a, votes: 1, percent: 33 },
          { id: b, votes: 2, percent: 67 },
          { id: poll.options[2]!.id, votes: 0, percent: 0 },
        ],
      })
      expect((await after.vote(poll.id, voter, [a!])).status).toBe(409)
    } finally {
      db.close()
    }
  })

  it('has committed a vote by the time its 201 is sent (another connection sees it)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'voxpop-commit-'))
    const path = join(dir, 'voxpop.sqlite')
    const db = openDatabase(path)
    migrate(db)
    const t = createTestApp({ db })
    const poll = await t.createPoll()
    // A second connection stands in for the file as a crash would leave it: it sees only commits.
    const reader = openDatabase(path)
    try {
      const counted = () => reader.prepare('SELECT total_voters AS n FROM polls WHERE id = ?').get(poll.id) as { n: number }
      expect(counted().n).toBe(0)
      expect((await t.vote(poll.id, newVoter(), [poll.options[0]!.id])).status).toBe(201)
      expect(counted().n).toBe(1)
      expect(reader.prepare('SELECT count(*) AS n FROM votes').get()).toEqual({ n: 1 })
    } finally {
      reader.close()
      db.close()
    }
  })
})

describe('privacy of stored votes', () => {
  it('never stores the raw IP address, in any column of any table', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const voter = newVoter()
    expect((await t.vote(poll.id, voter, [poll.options[0]!.id], CLIENT_IP)).status).toBe(201)
    expect((await t.vote(poll.id, newVoter(), [poll.options[1]!.id], `::ffff:${CLIENT_IP}`)).status).toBe(201)
    await t.viewPoll(poll.id, voter)

    const values = everyStoredValue(t.db)
    expect(values.some((v) => v.table === 'votes')).toBe(true)
    expect(values.filter((v) => v.value.includes(CLIENT_IP))).toEqual([])
    expect(values.filter((v) => v.value.includes('203.0.113'))).toEqual([])
  })

  it('stores the IP as an HMAC keyed with the server secret and the poll id', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    await t.vote(poll.id, newVoter(), [poll.options[0]!.id], CLIENT_IP)
    await t.vote(poll.id, newVoter(), [poll.options[0]!.id], CLIENT_IP)
    await t.vote(poll.id, newVoter(), [poll.options[0]!.id], '198.51.100.7')
    const hashes = (t.db.prepare('SELECT ip_hash FROM votes ORDER BY id').all() as { ip_hash: string }[]).map((r) => r.ip_hash)
    expect(hashes[0]).toBe(keyedHash(SECRET, 'ip', poll.id, CLIENT_IP))
    // The same reader address groups its votes for abuse checks; another address does not join them.
    expect(hashes[1]).toBe(hashes[0])
    expect(hashes[2]).not.toBe(hashes[0])
  })

  it('never stores the raw voter token', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const voter = newVoter()
    await t.vote(poll.id, voter, [poll.options[0]!.id])
    expect(everyStoredValue(t.db).filter((v) => v.value.includes(voter))).toEqual([])
  })

  it('gives the same voter token a different voter_hash in each poll', async () => {
    const t = createTestApp()
    const first = await t.createPoll()
    const second = await t.createPoll()
    const voter = newVoter()
    expect((await t.vote(first.id, voter, [first.options[0]!.id])).status).toBe(201)
    expect((await t.vote(second.id, voter, [second.options[0]!.id])).status).toBe(201)
    const rows = t.db.prepare('SELECT poll_id, voter_hash, ip_hash FROM votes').all() as { poll_id: string; voter_hash: string; ip_hash: string }[]
    expect(rows).toHaveLength(2)
    expect(rows[0]!.voter_hash).not.toBe(rows[1]!.voter_hash)
    expect(rows[0]!.ip_hash).not.toBe(rows[1]!.ip_hash)
  })

})
