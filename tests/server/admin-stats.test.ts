import { describe, expect, it } from 'vitest'
import type { Db } from '../../server/db/open.ts'
import type { AdminPollView, AdminStats, PollTimeline } from '../../server/types.ts'
import { createTestApp, DAY, expectError, HOUR, MINUTE, newVoter, T0, type TestApp } from './helpers.ts'

const iso = (ms: number) => new Date(ms).toISOString()

function insertVote(db: Db, poll: AdminPollView, at: number, status: 'counted' | 'flagged' = 'counted') {
  db.prepare('INSERT INTO votes (poll_id, voter_hash, ip_hash, option_ids, status, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    poll.id,
    newVoter(),
    'ip',
    JSON.stringify([poll.options[0]!.id]),
    status,
    at,
  )
}

function insertComment(db: Db, status: string, at: number) {
  const thread = db.prepare(`INSERT OR IGNORE INTO threads (page, title, created_at) VALUES ('bai-1', 'Bài 1', ?)`).run(at)
  const threadId = thread.changes ? thread.lastInsertRowid : (db.prepare(`SELECT id FROM threads WHERE page = 'bai-1'`).get() as { id: number }).id
  db.prepare(
    `INSERT INTO comments (thread_id, body, status, voter_hash, ip_hash, body_hash, created_at) VALUES (?, 'Nội dung', ?, 'v', 'i', 'b', ?)`,
  ).run(threadId, status, at)
}

async function getJson<T>(t: TestApp, path: string): Promise<T> {
  const res = await t.admin('GET', path)
  expect(res.status).toBe(200)
  return (await res.json()) as T
}

describe('GET /api/admin/stats', () => {
  // T0 is 15:00 on 1 June in Hồ Chí Minh City (UTC+7): the local day began at 17:00 UTC on 31 May.
  const localMidnight = Date.parse('2025-05-31T17:00:00.000Z')

  it('counts open polls, pending comments, and today’s ballots and comments in VOXPOP_TIMEZONE', async () => {
    const t = createTestApp()
    const open = await t.createPoll()
    await t.createPoll({ question: 'Đã đóng?', opensAt: iso(T0 - 2 * DAY), closesAt: iso(T0 - DAY) })
    await t.createPoll({ question: 'Sắp mở?', opensAt: iso(T0 + DAY) })
    await t.createPoll({ question: 'Còn mở đến mai?', closesAt: iso(T0 + DAY) })
    insertVote(t.db, open, localMidnight - 1)
    insertVote(t.db, open, localMidnight)
    insertVote(t.db, open, localMidnight + HOUR, 'flagged')
    expect((await t.vote(open.id, newVoter(), [open.options[1]!.id])).status).toBe(201)
    insertComment(t.db, 'pending', localMidnight - MINUTE)
    insertComment(t.db, 'pending', T0)
    insertComment(t.db, 'approved', T0)
    insertComment(t.db, 'rejected', localMidnight)
    insertComment(t.db, 'spam', T0)
    expect(await getJson<AdminStats>(t, '/api/admin/stats')).toEqual({
      openPolls: 2,
      pendingComments: 2,
      votesToday: 3,
      commentsToday: 3,
    })
  })

  it('starts the day at local midnight of the configured zone', async () => {
    const t = createTestApp({ env: { VOXPOP_TIMEZONE: 'America/New_York' } })
    const poll = await t.createPoll()
    // T0 is 04:00 on 1 June in New York (UTC-4): its day began at 04:00 UTC.
    insertVote(t.db, poll, Date.parse('2025-06-01T03:59:59.999Z'))
    insertVote(t.db, poll, Date.parse('2025-06-01T04:00:00.000Z'))
    expect((await getJson<AdminStats>(t, '/api/admin/stats')).votesToday).toBe(1)
  })

  it('moves open polls with the clock: a poll closes without anyone touching it', async () => {
    const t = createTestApp()
    await t.createPoll({ closesAt: iso(T0 + HOUR) })
    expect((await getJson<AdminStats>(t, '/api/admin/stats')).openPolls).toBe(1)
    t.clock.advance(HOUR)
    expect((await getJson<AdminStats>(t, '/api/admin/stats')).openPolls).toBe(0)
  })
})

describe('GET /api/admin/config', () => {
  it('tells the console the editors’ time zone and the moderation mode', async () => {
    const t = createTestApp({ env: { VOXPOP_TIMEZONE: 'Europe/Berlin', VOXPOP_MODERATION: 'post' } })
    expect(await getJson(t, '/api/admin/config')).toEqual({ timezone: 'Europe/Berlin', moderation: 'post' })
  })
})

describe('GET /api/admin/polls/:id/timeline', () => {
  it('counts ballots per local hour from the opening, empty hours included, flagged apart', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ opensAt: iso(T0 - 3 * HOUR + 20 * MINUTE) })
    insertVote(t.db, poll, T0 - 3 * HOUR + 25 * MINUTE)
    insertVote(t.db, poll, T0 - 3 * HOUR + 59 * MINUTE, 'flagged')
    insertVote(t.db, poll, T0 - HOUR)
    insertVote(t.db, poll, T0 - 1)
    insertVote(t.db, poll, T0)
    const timeline = await getJson<PollTimeline>(t, `/api/admin/polls/${poll.id}/timeline`)
    expect(timeline).toEqual({
      unit: 'hour',
      timezone: 'Asia/Ho_Chi_Minh',
      buckets: [
        { start: iso(T0 - 3 * HOUR), counted: 1, flagged: 1 },
        { start: iso(T0 - 2 * HOUR), counted: 0, flagged: 0 },
        { start: iso(T0 - HOUR), counted: 2, flagged: 0 },
        { start: iso(T0), counted: 1, flagged: 0 },
      ],
    })
  })

  it('switches to local days for polls longer than three days', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ opensAt: iso(T0 - 4 * DAY) })
    insertVote(t.db, poll, Date.parse('2025-05-28T16:59:59.000Z'))
    insertVote(t.db, poll, Date.parse('2025-05-28T17:00:00.000Z'))
    insertVote(t.db, poll, T0)
    const timeline = await getJson<PollTimeline>(t, `/api/admin/polls/${poll.id}/timeline`)
    expect(timeline.unit).toBe('day')
    expect(timeline.buckets).toEqual([
      { start: '2025-05-27T17:00:00.000Z', counted: 1, flagged: 0 },
      { start: '2025-05-28T17:00:00.000Z', counted: 1, flagged: 0 },
      { start: '2025-05-29T17:00:00.000Z', counted: 0, flagged: 0 },
      { start: '2025-05-30T17:00:00.000Z', counted: 0, flagged: 0 },
      { start: '2025-05-31T17:00:00.000Z', counted: 1, flagged: 0 },
    ])
  })

  it('keeps local days whole across a daylight-saving change', async () => {
    const t = createTestApp({ env: { VOXPOP_TIMEZONE: 'Europe/Berlin' } })
    t.clock.set(Date.parse('2025-04-01T12:00:00.000Z'))
    const poll = await t.createPoll({ opensAt: '2025-03-28T12:00:00.000Z' })
    insertVote(t.db, poll, Date.parse('2025-03-30T21:59:59.000Z'))
    insertVote(t.db, poll, Date.parse('2025-03-30T22:00:00.000Z'))
    const timeline = await getJson<PollTimeline>(t, `/api/admin/polls/${poll.id}/timeline`)
    expect(timeline.buckets.map((b) => [b.start, b.counted])).toEqual([
      ['2025-03-27T23:00:00.000Z', 0],
      ['2025-03-28T23:00:00.000Z', 0],
      ['2025-03-29T23:00:00.000Z', 1],
      ['2025-03-30T22:00:00.000Z', 1],
      ['2025-03-31T22:00:00.000Z', 0],
    ])
  })

  it('takes ?unit=hour|day and answers 400 invalid_request to anything else', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ opensAt: iso(T0 - 5 * HOUR) })
    const daily = await getJson<PollTimeline>(t, `/api/admin/polls/${poll.id}/timeline?unit=day`)
    expect(daily.unit).toBe('day')
    expect(daily.buckets).toEqual([{ start: '2025-05-31T17:00:00.000Z', counted: 0, flagged: 0 }])
    await expectError(await t.admin('GET', `/api/admin/polls/${poll.id}/timeline?unit=week`), 400, 'invalid_request')
  })

  it('has no buckets before a poll opens, and answers 404 poll_not_found for an unknown poll', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ opensAt: iso(T0 + DAY) })
    expect((await getJson<PollTimeline>(t, `/api/admin/polls/${poll.id}/timeline`)).buckets).toEqual([])
    await expectError(await t.admin('GET', '/api/admin/polls/nope/timeline'), 404, 'poll_not_found')
  })
})
