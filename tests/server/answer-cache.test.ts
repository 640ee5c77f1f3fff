import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { migrate } from '../../server/db/migrate.ts'
import { openDatabase } from '../../server/db/open.ts'
import { ANSWER_TTL_MS, createAnswerCache, createChangeToken, OTHER_WRITERS_CHECK_MS } from '../../server/lib/answer-cache.ts'
import type { PollView } from '../../server/types.ts'
import { createCommentApp, PAGE } from './comments-helpers.ts'
import { ADMIN_PASSWORD, CLIENT_IP, createClock, createTestApp, newVoter, SECRET } from './helpers.ts'

const totalVoters = async (res: Response) => ((await res.json()) as PollView).results!.totalVoters

describe('shared answers kept in memory', () => {
  it('serves a poll read from memory until a vote changes it', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const first = await t.getPoll(poll.id)
    const second = await t.getPoll(poll.id)
    expect(await second.text()).toBe(await first.text())
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    await t.voteAsNewReader(poll.id, [poll.options[0]!.id])
    expect(await totalVoters(await t.getPoll(poll.id))).toBe(1)
  })

  it('serves the first page of a thread from memory for up to a second (the same form token), then builds it again', async () => {
    const t = createCommentApp()
    const first = await t.listOk()
    t.clock.advance(10)
    expect((await t.listOk()).formToken).toBe(first.formToken)
    t.clock.advance(ANSWER_TTL_MS)
    expect((await t.listOk()).formToken).not.toBe(first.formToken)
    // A reader with a token gets a list built for them, with a token of this moment.
    expect((await t.listOk({}, newVoter())).formToken).not.toBe(first.formToken)
  })

  it('rebuilds an answer after its time is up even when nothing was written (poll status moves with the clock)', async () => {
    const t = createTestApp()
    const closesAt = t.clock.now() + 30 * 60_000
    const poll = await t.createPoll({ resultsVisibility: 'always', closesAt: new Date(closesAt).toISOString() })
    expect(((await (await t.getPoll(poll.id)).json()) as PollView).status).toBe('open')
    t.clock.advance(30 * 60_000 + 1)
    expect(((await (await t.getPoll(poll.id)).json()) as PollView).status).toBe('closed')
  })

  it('sees a vote another server process wrote to the same database file within 100 ms', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'voxpop-answers-')), 'shared.sqlite')
    const config = loadConfig({ VOXPOP_DB: file, VOXPOP_ADMIN_PASSWORD: ADMIN_PASSWORD })
    const dbs = [openDatabase(file), openDatabase(file)]
    migrate(dbs[0]!)
    const clock = createClock()
    const [reader, writer] = dbs.map((db) => createApp({ db, config, secret: SECRET, now: clock.now }))
    const t = createTestApp({ db: dbs[1]!, clock })
    try {
      const poll = await t.createPoll({ resultsVisibility: 'always' })
      const read = async () => totalVoters(await reader!.request(`/api/polls/${poll.id}`, {}, { incoming: { socket: { remoteAddress: CLIENT_IP } } }))
      expect(await read()).toBe(0)
      const vote = await writer!.request(
        `/api/polls/${poll.id}/votes`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter() },
          body: JSON.stringify({ options: [poll.options[0]!.id] }),
        },
        { incoming: { socket: { remoteAddress: CLIENT_IP } } },
      )
      expect(vote.status).toBe(201)
      // Another process's commit shows within OTHER_WRITERS_CHECK_MS.
      clock.advance(OTHER_WRITERS_CHECK_MS)
      expect(await read()).toBe(1)
    } finally {
      for (const db of dbs) db.close()
    }
  })

  it('shows a comment to readers without a token as soon as it is approved, and the new count', async () => {
    const t = createCommentApp()
    const before = await t.listOk()
    expect(before.total).toBe(0)
    expect(await t.countOf()).toBe(0)
    const posted = await t.postOk(newVoter(), { body: 'Bài viết rất hay, cảm ơn tòa soạn.' })
    expect((await t.listOk()).total).toBe(0)
    await t.approve(posted.comment.id)
    const after = await t.listOk()
    expect(after.total).toBe(1)
    expect(after.comments.map((c) => c.id)).toEqual([posted.comment.id])
    expect(await t.countOf(PAGE)).toBe(1)
  })

  it('keeps one answer per key, and drops every answer after any write', () => {
    let token = 'a'
    let now = 0
    const cache = createAnswerCache(() => token, () => now)
    const built = cache.remember('x', () => ({ n: 1 }), { cacheControl: () => 'public' })
    expect(built.text).toBe('{"n":1}')
    expect(cache.get('x')).toBe(built)
    expect(cache.get('y')).toBeUndefined()
    token = 'b'
    expect(cache.get('x')).toBeUndefined()
    cache.remember('x', () => ({ n: 2 }), { cacheControl: () => 'public' })
    now = ANSWER_TTL_MS - 1
    expect(cache.get('x')?.text).toBe('{"n":2}')
    now = ANSWER_TTL_MS
    expect(cache.get('x')).toBeUndefined()
  })

  it('moves its change token on a write through this connection and through another one', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'voxpop-token-')), 'token.sqlite')
    const [a, b] = [openDatabase(file), openDatabase(file)]
    try {
      migrate(a)
      let now = 0
      const token = createChangeToken(a, () => now)
      const start = token()
      expect(token()).toBe(start)
      a.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run()
      const afterOwn = token()
      expect(afterOwn).not.toBe(start)
      b.prepare("UPDATE settings SET value = '2' WHERE key = 'x'").run()
      now = OTHER_WRITERS_CHECK_MS - 1
      expect(token()).toBe(afterOwn)
      now = OTHER_WRITERS_CHECK_MS
      expect(token()).not.toBe(afterOwn)
    } finally {
      a.close()
      b.close()
    }
  })
})
