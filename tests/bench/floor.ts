/**
 * Storage floors for the vote scenario: the ceiling's bare `POST` handler plus what storing a
 * vote costs, and nothing else — no middleware, validation, rate limit or CORS, and the ceiling's
 * own answer. Votes are written the way the server writes them: the requests of one event-loop
 * turn share one transaction and are answered after its commit (WAL, `synchronous=NORMAL`,
 * checkpoints in a worker thread), each floor on its own fresh file in FLOOR_DIR.
 * - `POST /row`: one row per vote, unique on (poll, voter token): the least a vote stored once
 *   per reader costs in SQLite here.
 * - `POST /ballot`: voxpop's own ballot store (`server/db/polls.ts`: the votes row with its hashes
 *   and indexes, the poll's counters) and the voter HMAC, as the vote route calls them.
 * `GET /stored` counts what each floor holds, so the bench can check that every answer was stored.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { join } from 'node:path'
import { startCheckpointer } from '../../server/db/checkpointer.ts'
import { migrate } from '../../server/db/migrate.ts'
import { openDatabase, writeTransaction } from '../../server/db/open.ts'
import { createPollStore, type Ballot } from '../../server/db/polls.ts'
import { createBatcher } from '../../server/lib/batcher.ts'
import { keyedHash, keyedHashMemo } from '../../server/lib/crypto.ts'
import { CEILING_VIEW } from './ceiling-view.ts'
import { pollInput } from './seed.ts'

const dir = process.env.FLOOR_DIR
if (!dir) throw new Error('floor: set FLOOR_DIR to a directory for its database files')
const SECRET = 'bench-floor-secret-0123456789'
const POLL = 'floor'

const rowDb = openDatabase(join(dir, 'floor-row.sqlite'), 'normal')
rowDb.exec('CREATE TABLE votes (id INTEGER PRIMARY KEY, poll_id TEXT NOT NULL, voter TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (poll_id, voter)) STRICT')
const insertRow = rowDb.prepare('INSERT INTO votes (poll_id, voter, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
const countRows = rowDb.prepare<[], number>('SELECT count(*) FROM votes').pluck()
const storeRows = writeTransaction(rowDb, (voters: string[]) => voters.map((voter) => insertRow.run(POLL, voter, Date.now()).changes === 1))
const castRow = createBatcher(storeRows)

const ballotDb = openDatabase(join(dir, 'floor-ballot.sqlite'), 'normal')
migrate(ballotDb)
const polls = createPollStore(ballotDb)
polls.create(pollInput('Floor poll: bạn đọc tin trên thiết bị nào?'), Date.now(), POLL)
const optionId = polls.get(POLL)!.options[0]!.id
const ipHash = keyedHashMemo(SECRET)
const castBallot = createBatcher((ballots: Ballot[]) => polls.cast(ballots).map((outcome) => outcome !== 'duplicate'))

/** Answers as the ceiling's `POST` does once the vote is stored; 409 should a token repeat. */
const stored = (isNew: boolean, chosen: unknown) => (isNew ? { body: { ...CEILING_VIEW, myVote: chosen ?? null }, status: 201 as const } : { body: { error: 'duplicate' }, status: 409 as const })

const app = new Hono()
  .get('/stored', (c) => c.json({ row: countRows.get(), ballot: polls.get(POLL)!.totalVoters }))
  .post('/row', async (c) => {
    const body = (await c.req.json()) as { options?: unknown }
    const { body: answer, status } = stored(await castRow(c.req.header('x-voxpop-voter') ?? ''), body.options)
    return c.json(answer, status)
  })
  .post('/ballot', async (c) => {
    const body = (await c.req.json()) as { options?: unknown }
    const voterHash = keyedHash(SECRET, 'voter', POLL, c.req.header('x-voxpop-voter') ?? '')
    const isNew = await castBallot({ pollId: POLL, voterHash, ipHash: ipHash('ip', POLL, '127.0.0.1'), optionIds: [optionId], at: Date.now() })
    const { body: answer, status } = stored(isNew, body.options)
    return c.json(answer, status)
  })

const checkpointers = [rowDb, ballotDb].map((db) => startCheckpointer(db, 'normal'))
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  console.log(`floor: listening on http://127.0.0.1:${info.port}`)
})
process.on('SIGTERM', () => {
  void Promise.all(checkpointers.map((c) => c.stop())).finally(() => process.exit(0))
})
