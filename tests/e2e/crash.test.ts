import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import type { AdminPollView, PollView } from '../../server/types.ts'
import { startServer, type RunningServer } from './server.ts'

/** Limits out of the way: every client here is 127.0.0.1, and throttling is not what is tested. */
const ENV = { VOXPOP_RATE_VOTE: '1000000/60s', VOXPOP_RATE_GLOBAL: '1000000/60s', VOXPOP_RATE_LOGIN: '1000/60s' }
const CLIENTS = 6
/** Each client stops after this many ballots or this long, whichever comes first. */
const MAX_BALLOTS_PER_CLIENT = 400
const MAX_MS = 8000

let servers: RunningServer[] = []

afterAll(async () => {
  // A process killed by a signal has exitCode null and signalCode set: only stop those still running.
  for (const s of servers) if (s.process.exitCode === null && s.process.signalCode === null) await s.stop('SIGKILL')
})

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}

interface Ack {
  pollId: string
  voter: string
  options: string[]
}

/** Votes as new readers in a loop until stopped; returns every ballot answered 201. */
async function voter(url: string, polls: AdminPollView[], stop: { now: boolean }, seed: number): Promise<{ acks: Ack[]; failures: number }> {
  const acks: Ack[] = []
  let failures = 0
  const started = Date.now()
  for (let i = 0; i < MAX_BALLOTS_PER_CLIENT && !stop.now && Date.now() - started < MAX_MS; i++) {
    const poll = polls[(seed + i) % polls.length]!
    const options = poll.multiple ? poll.options.slice(0, 1 + ((seed + i) % 2)).map((o) => o.id) : [poll.options[(seed * 7 + i) % poll.options.length]!.id]
    const token = randomBytes(16).toString('base64url')
    try {
      const res = await fetch(`${url}/api/polls/${poll.id}/votes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': token },
        body: JSON.stringify({ options }),
      })
      await res.arrayBuffer()
      if (res.status === 201) acks.push({ pollId: poll.id, voter: token, options })
      else failures++
    } catch {
      // The server died under this request: it was never acknowledged.
      failures++
      if (stop.now) break
    }
  }
  return { acks, failures }
}

describe('a server killed with SIGKILL while votes flow', () => {
  it('keeps every acknowledged vote, and counters equal the counted vote rows', async () => {
    const first = await startServer(ENV)
    servers.push(first)
    const { token } = await json<{ token: string }>(
      await fetch(`${first.url}/api/admin/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'test-password-123' }) }),
    )
    const create = (body: object) =>
      fetch(`${first.url}/api/admin/polls`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) }).then(
        (r) => json<AdminPollView>(r),
      )
    const polls = [
      await create({ question: 'Giá xăng tăng, bạn có đổi cách đi làm?', options: ['Có', 'Không', 'Đang cân nhắc'] }),
      await create({ question: 'Bạn đọc tin bằng gì?', options: ['Điện thoại', 'Máy tính', 'Báo giấy'], multiple: true }),
      // A low cap, so flagged ballots are part of the flow too.
      await create({ question: 'Có nên cấm xe máy vào nội đô?', options: ['Nên', 'Không nên'], maxVotesPerIp: 25 }),
    ]

    const stop = { now: false }
    const clients = Array.from({ length: CLIENTS }, (_, i) => voter(first.url, polls, stop, i))
    // Kill mid-flow: once a good number of ballots are in, with requests still in flight.
    const db = new Database(first.dbPath, { readonly: true, fileMustExist: true })
    const started = Date.now()
    while (Date.now() - started < MAX_MS / 2) {
      const n = db.prepare('SELECT count(*) FROM votes').pluck().get() as number
      if (n >= 150) break
      await new Promise((r) => setTimeout(r, 50))
    }
    db.close()
    const exited = new Promise((r) => first.process.once('exit', r))
    first.process.kill('SIGKILL')
    await exited
    stop.now = true
    const results = await Promise.all(clients)
    const acks = results.flatMap((r) => r.acks)
    console.log(`[crash] ${acks.length} ballots acknowledged, ${results.reduce((n, r) => n + r.failures, 0)} cut off by the kill`)
    expect(acks.length).toBeGreaterThan(50)

    const second = await startServer({ ...ENV, VOXPOP_DB: first.dbPath })
    servers.push(second)
    const missing: Ack[] = []
    for (let i = 0; i < acks.length; i += 25) {
      await Promise.all(
        acks.slice(i, i + 25).map(async (ack) => {
          const view = await json<PollView>(await fetch(`${second.url}/api/polls/${ack.pollId}`, { headers: { 'X-Voxpop-Voter': ack.voter } }))
          if (JSON.stringify(view.myVote) !== JSON.stringify(ack.options)) missing.push(ack)
        }),
      )
    }
    expect(missing).toEqual([])
    await second.stop('SIGTERM')

    const check = new Database(first.dbPath, { readonly: true, fileMustExist: true })
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
      for (const poll of polls) {
        const stored = check.prepare('SELECT total_voters, total_votes, flagged_votes FROM polls WHERE id = ?').get(poll.id)
        const rows = check
          .prepare(
            `SELECT
               (SELECT count(*) FROM votes WHERE poll_id = @id AND status = 'counted') AS total_voters,
               (SELECT count(*) FROM votes, json_each(votes.option_ids) WHERE poll_id = @id AND status = 'counted') AS total_votes,
               (SELECT count(*) FROM votes WHERE poll_id = @id AND status = 'flagged') AS flagged_votes`,
          )
          .get({ id: poll.id })
        expect({ poll: poll.question, ...(stored as object) }).toEqual({ poll: poll.question, ...(rows as object) })
        const options = check
          .prepare(
            `SELECT o.id, o.votes,
               (SELECT count(*) FROM votes v, json_each(v.option_ids) j WHERE v.poll_id = o.poll_id AND v.status = 'counted' AND j.value = o.id) AS rows
             FROM poll_options o WHERE o.poll_id = ?`,
          )
          .all(poll.id) as { id: string; votes: number; rows: number }[]
        for (const o of options) expect({ option: o.id, votes: o.votes }).toEqual({ option: o.id, votes: o.rows })
      }
      const acked = check.prepare('SELECT count(*) FROM votes').pluck().get() as number
      expect(acked).toBeGreaterThanOrEqual(acks.length)
      // The capped poll really did flag ballots in this run.
      expect(check.prepare('SELECT flagged_votes FROM polls WHERE id = ?').pluck().get(polls[2]!.id)).toBeGreaterThan(0)
    } finally {
      check.close()
    }
  }, 120_000)
})
