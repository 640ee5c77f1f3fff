import { describe, expect, it } from 'vitest'
import type { Db } from '../../server/db/open.ts'
import type { AdminPollView, PollView } from '../../server/types.ts'
import { CLIENT_IP, HOUR, MINUTE, createTestApp, expectError, newVoter, type TestApp } from './helpers.ts'

const NEIGHBOUR_IP = '198.51.100.20'

/** Counters as stored next to what the vote rows say they should be. */
function counters(db: Db, pollId: string) {
  const poll = db.prepare('SELECT total_voters, total_votes, flagged_votes FROM polls WHERE id = ?').get(pollId)
  const options = db.prepare('SELECT id, votes FROM poll_options WHERE poll_id = ? ORDER BY position').all(pollId)
  const rows = {
    total_voters: db.prepare("SELECT count(*) AS n FROM votes WHERE poll_id = ? AND status = 'counted'").pluck().get(pollId),
    total_votes: db
      .prepare("SELECT count(*) AS n FROM votes, json_each(votes.option_ids) WHERE poll_id = ? AND status = 'counted'")
      .pluck()
      .get(pollId),
    flagged_votes: db.prepare("SELECT count(*) AS n FROM votes WHERE poll_id = ? AND status = 'flagged'").pluck().get(pollId),
  }
  const optionRows = (options as { id: string }[]).map((o) => ({
    id: o.id,
    votes: db
      .prepare("SELECT count(*) FROM votes, json_each(votes.option_ids) WHERE poll_id = ? AND status = 'counted' AND json_each.value = ?")
      .pluck()
      .get(pollId, o.id),
  }))
  return { stored: { ...(poll as object), options }, fromRows: { ...rows, options: optionRows } }
}

async function voteMany(t: TestApp, pollId: string, optionId: string, n: number, ip = CLIENT_IP): Promise<string[]> {
  const voters: string[] = []
  for (let i = 0; i < n; i++) {
    const voter = newVoter()
    const res = await t.vote(pollId, voter, [optionId], ip)
    expect(res.status).toBe(201)
    const view = (await res.json()) as PollView
    // The voter is answered like any other, their own choice shown, caught or not.
    expect(view.myVote).toEqual([optionId])
    voters.push(voter)
  }
  return voters
}

async function readmit(t: TestApp, pollId: string, body: unknown) {
  return t.admin('POST', `/api/admin/polls/${pollId}/votes/readmit`, body)
}

describe('ballot stuffing: per-address cap (dedupe "voter+ip", the default)', () => {
  it('stores ballots past maxVotesPerIp as flagged, answers them 201, and leaves them out of public results', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ maxVotesPerIp: 3, resultsVisibility: 'always' })
    expect(poll.dedupe).toBe('voter+ip')
    const a = poll.options[0]!.id
    const voters = await voteMany(t, poll.id, a, 5)

    const view = await t.viewPoll(poll.id)
    expect(view.results).toMatchObject({ totalVoters: 3, totalVotes: 3 })
    expect(view.results!.options[0]).toMatchObject({ id: a, votes: 3, percent: 100 })
    // A caught reader still sees their own ballot after a reload, and cannot vote again.
    expect((await t.viewPoll(poll.id, voters[4])).myVote).toEqual([a])
    await expectError(await t.vote(poll.id, voters[4]!, [a]), 409, 'already_voted')

    const admin = await t.adminView(poll.id)
    expect(admin.flaggedVotes).toBe(2)
    expect(admin.results.totalVoters).toBe(3)
    const { stored, fromRows } = counters(t.db, poll.id)
    expect(stored).toEqual(fromRows)
  })

  it('still counts other addresses while one address is over its cap', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ maxVotesPerIp: 2 })
    await voteMany(t, poll.id, poll.options[0]!.id, 4)
    await voteMany(t, poll.id, poll.options[1]!.id, 2, NEIGHBOUR_IP)
    const admin = await t.adminView(poll.id)
    expect(admin.results.options.map((o) => o.votes)).toEqual([2, 2])
    expect(admin.flaggedVotes).toBe(2)
  })

  it('counts an address again once ipWindowSeconds have passed since its counted ballots', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ maxVotesPerIp: 2, ipWindowSeconds: 3600 })
    await voteMany(t, poll.id, poll.options[0]!.id, 3)
    t.clock.advance(HOUR - 1)
    await voteMany(t, poll.id, poll.options[0]!.id, 1)
    t.clock.advance(1)
    await voteMany(t, poll.id, poll.options[0]!.id, 1)
    const admin = await t.adminView(poll.id)
    expect(admin.results.totalVoters).toBe(3)
    expect(admin.flaggedVotes).toBe(2)
  })

  it('counts 30 readers behind one address (a classroom) under the default cap and default rate limits', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    expect(poll.maxVotesPerIp).toBe(50)
    const readers = Array.from({ length: 30 }, () => newVoter())
    // Each reader loads the poll and votes within the same minute, all from the school's one address.
    const answers = await Promise.all(
      readers.map(async (voter, i) => {
        expect((await t.getPoll(poll.id, voter)).status).toBe(200)
        return t.vote(poll.id, voter, [poll.options[i % 2]!.id])
      }),
    )
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(201))
    const admin = await t.adminView(poll.id)
    expect(admin.results).toMatchObject({ totalVoters: 30, totalVotes: 30 })
    expect(admin.flaggedVotes).toBe(0)
  })

  it('lets 30 readers behind one address each post a comment within ten minutes under the default limits', async () => {
    const t = createTestApp({ env: { VOXPOP_MODERATION: 'post' } })
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      const voter = newVoter()
      const list = await t.request('/api/comments?page=bai-lop-hoc', { headers: { 'X-Voxpop-Voter': voter } })
      expect(list.status).toBe(200)
      const { formToken } = (await list.json()) as { formToken: string }
      t.clock.advance(15_000)
      const res = await t.send('POST', '/api/comments', { page: 'bai-lop-hoc', body: `Em số ${i + 1} nghĩ khác`, formToken }, { 'X-Voxpop-Voter': voter })
      statuses.push(res.status)
    }
    expect(statuses).toEqual(Array(30).fill(201))
    const list = (await (await t.request('/api/comments?page=bai-lop-hoc&limit=50')).json()) as { total: number }
    expect(list.total).toBe(30)
  })
})

describe('ballot stuffing: dedupe "voter"', () => {
  it('applies no per-address cap: every first ballot of a voter token counts', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ dedupe: 'voter', maxVotesPerIp: 2 })
    await voteMany(t, poll.id, poll.options[0]!.id, 6)
    const admin = await t.adminView(poll.id)
    expect(admin.results.totalVoters).toBe(6)
    expect(admin.flaggedVotes).toBe(0)
  })

  it('still takes one ballot per voter token', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ dedupe: 'voter' })
    const voter = newVoter()
    expect((await t.vote(poll.id, voter, [poll.options[0]!.id])).status).toBe(201)
    await expectError(await t.vote(poll.id, voter, [poll.options[1]!.id]), 409, 'already_voted')
  })

  it('takes effect for the next ballots when an editor switches a poll between the modes', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ dedupe: 'voter', maxVotesPerIp: 1 })
    await voteMany(t, poll.id, poll.options[0]!.id, 2)
    expect((await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { dedupe: 'voter+ip' })).status).toBe(200)
    await voteMany(t, poll.id, poll.options[0]!.id, 1)
    expect((await t.adminView(poll.id)).flaggedVotes).toBe(1)
    expect((await t.admin('PATCH', `/api/admin/polls/${poll.id}`, { dedupe: 'voter' })).status).toBe(200)
    await voteMany(t, poll.id, poll.options[0]!.id, 1)
    const admin = await t.adminView(poll.id)
    expect(admin).toMatchObject({ flaggedVotes: 1, dedupe: 'voter' })
    expect(admin.results.totalVoters).toBe(3)
  })
})

describe('POST /api/admin/polls/:id/votes/readmit', () => {
  async function flaggedPoll(t: TestApp) {
    const poll = await t.createPoll({ maxVotesPerIp: 2, multiple: true, maxChoices: 2, resultsVisibility: 'always' })
    const [a, b] = [poll.options[0]!.id, poll.options[1]!.id]
    for (let i = 0; i < 5; i++) expect((await t.vote(poll.id, newVoter(), i < 3 ? [a, b] : [b])).status).toBe(201)
    const list = await t.admin('GET', `/api/admin/polls/${poll.id}/votes/flagged`)
    expect(list.status).toBe(200)
    const { votes } = (await list.json()) as { votes: { id: number; options: string[]; ipGroup: string; createdAt: string }[] }
    expect(votes).toHaveLength(3)
    return { poll, a, b, votes }
  }

  it('lists flagged ballots for review, newest first, without any address', async () => {
    const t = createTestApp()
    const { votes, a, b } = await flaggedPoll(t)
    expect(votes.map((v) => v.options)).toEqual([[b], [b], [a, b]])
    expect(new Set(votes.map((v) => v.ipGroup)).size).toBe(1)
    expect(JSON.stringify(votes)).not.toContain(CLIENT_IP)
  })

  it('counts the chosen ballots and updates every counter in the same step', async () => {
    const t = createTestApp()
    const { poll, votes, a, b } = await flaggedPoll(t)
    const res = await readmit(t, poll.id, { voteIds: [votes[2]!.id, votes[0]!.id] })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { readmitted: number; poll: AdminPollView }
    expect(body.readmitted).toBe(2)
    expect(body.poll.flaggedVotes).toBe(1)
    expect(body.poll.results).toMatchObject({ totalVoters: 4, totalVotes: 7 })
    expect(body.poll.results.options.find((o) => o.id === a)!.votes).toBe(3)
    expect(body.poll.results.options.find((o) => o.id === b)!.votes).toBe(4)
    // Public results now include them.
    expect((await t.viewPoll(poll.id)).results).toMatchObject({ totalVoters: 4, totalVotes: 7 })
    const { stored, fromRows } = counters(t.db, poll.id)
    expect(stored).toEqual(fromRows)
  })

  it('re-admits every flagged ballot of the poll with {"all":true}, and nothing twice', async () => {
    const t = createTestApp()
    const { poll, votes } = await flaggedPoll(t)
    const first = (await (await readmit(t, poll.id, { all: true })).json()) as { readmitted: number; poll: AdminPollView }
    expect(first.readmitted).toBe(3)
    expect(first.poll).toMatchObject({ flaggedVotes: 0, results: { totalVoters: 5 } })
    const again = (await (await readmit(t, poll.id, { voteIds: votes.map((v) => v.id) })).json()) as { readmitted: number }
    expect(again.readmitted).toBe(0)
    expect((await (await readmit(t, poll.id, { all: true })).json()) as object).toMatchObject({ readmitted: 0 })
    const { stored, fromRows } = counters(t.db, poll.id)
    expect(stored).toEqual(fromRows)
  })

  it('ignores ids that are counted, unknown, repeated, or belong to another poll', async () => {
    const t = createTestApp()
    const { poll, votes } = await flaggedPoll(t)
    const other = await flaggedPoll(t)
    const counted = t.db.prepare("SELECT id FROM votes WHERE poll_id = ? AND status = 'counted'").pluck().get(poll.id) as number
    const res = await readmit(t, poll.id, { voteIds: [counted, 987654, other.votes[0]!.id, votes[1]!.id, votes[1]!.id] })
    expect(((await res.json()) as { readmitted: number }).readmitted).toBe(1)
    expect((await t.adminView(other.poll.id)).flaggedVotes).toBe(3)
    for (const id of [poll.id, other.poll.id]) {
      const { stored, fromRows } = counters(t.db, id)
      expect(stored).toEqual(fromRows)
    }
  })

  it.each([
    ['an empty body', {}],
    ['an empty id list', { voteIds: [] }],
    ['ids that are not whole numbers', { voteIds: ['1'] }],
    ['all set to false', { all: false }],
    ['both fields', { all: true, voteIds: [1] }],
  ])('answers 400 invalid_request to %s', async (_, body) => {
    const t = createTestApp()
    const poll = await t.createPoll()
    await expectError(await readmit(t, poll.id, body), 400, 'invalid_request')
  })

  it('answers 404 poll_not_found for an unknown poll, and 401 without a token', async () => {
    const t = createTestApp()
    await expectError(await readmit(t, 'nope', { all: true }), 404, 'poll_not_found')
    await expectError(await t.admin('GET', '/api/admin/polls/nope/votes/flagged'), 404, 'poll_not_found')
    await expectError(await t.send('POST', '/api/admin/polls/nope/votes/readmit', { all: true }), 401, 'unauthorized')
  })

  it('makes a re-admitted ballot count toward the address cap from then on', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ maxVotesPerIp: 1 })
    await voteMany(t, poll.id, poll.options[0]!.id, 2)
    await readmit(t, poll.id, { all: true })
    t.clock.advance(MINUTE)
    await voteMany(t, poll.id, poll.options[0]!.id, 1)
    expect((await t.adminView(poll.id)).flaggedVotes).toBe(1)
  })
})
