import { describe, expect, it } from 'vitest'
import { laneStats } from '../../server/middleware/answer-lane.ts'
import { createCommentApp, PAGE } from './comments-helpers.ts'
import { createTestApp, expectError, newVoter, type TestApp } from './helpers.ts'

const SITE = 'https://baotinh.example.vn'

/** A write that changes nothing a reader sees, but makes every kept answer stale. */
function touch(t: TestApp) {
  t.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('test-touch', ?)").run(String(Math.random()))
}

/** Headers as a sorted list, without the ones that differ between any two answers (remaining count, length). */
function comparable(res: Response): [string, string][] {
  return [...res.headers].filter(([name]) => name !== 'ratelimit' && name !== 'content-length').sort()
}

/** Sends `path` twice after making kept answers stale: the first goes down the middleware chain, the second down the lane. */
async function chainThenLane(t: TestApp, path: string, init: RequestInit = {}) {
  touch(t)
  const before = laneStats.served
  const chain = await t.request(path, init)
  expect(laneStats.served).toBe(before)
  const lane = await t.request(path, init)
  expect(laneStats.served).toBe(before + 1)
  return { chain, lane }
}

async function expectSameAnswer(t: TestApp, path: string, init: RequestInit = {}) {
  const { chain, lane } = await chainThenLane(t, path, init)
  expect(lane.status).toBe(chain.status)
  expect(comparable(lane)).toEqual(comparable(chain))
  // A client's remaining count goes on answers only it gets: a shared cache would hand it to everyone.
  if (lane.headers.get('cache-control')!.startsWith('public')) {
    expect(lane.headers.has('ratelimit')).toBe(false)
    expect(chain.headers.has('ratelimit')).toBe(false)
  } else {
    expect(lane.headers.get('ratelimit')).toMatch(/^"global";r=\d+;t=\d+$/)
    expect(chain.headers.get('ratelimit')).toMatch(/^"global";r=\d+;t=\d+$/)
  }
  expect(Buffer.from(await lane.arrayBuffer()).equals(Buffer.from(await chain.arrayBuffer()))).toBe(true)
  return lane
}

const VARIANTS: [string, Record<string, string>][] = [
  ['no extra headers', {}],
  ['an allowed Origin', { Origin: SITE }],
  ['another Origin', { Origin: 'https://elsewhere.example' }],
  ['brotli accepted', { 'Accept-Encoding': 'gzip, deflate, br' }],
  ['gzip only', { 'Accept-Encoding': 'gzip' }],
]

describe('the answer lane', () => {
  async function setup() {
    const t = createCommentApp({ env: { VOXPOP_MODERATION: 'post', VOXPOP_ALLOWED_ORIGINS: SITE } })
    const open = await t.createPoll({ resultsVisibility: 'always' })
    const hidden = await t.createPoll({ resultsVisibility: 'after_vote' })
    await t.voteAsNewReader(open.id, [open.options[0]!.id])
    // Enough comments for the first page to pass the compression threshold.
    t.clock.advance(5000)
    for (let i = 0; i < 12; i++) await t.postOk(newVoter(), { body: `Ý kiến số ${i}: bài viết phản ánh đúng tình hình ở địa phương.` })
    const paths = [
      `/api/polls/${open.id}`,
      `/api/polls/${hidden.id}`,
      `/api/comments?page=${PAGE}`,
      `/api/comments?page=${PAGE}&sort=top&limit=5`,
      `/api/counts?page=${PAGE}&page=other`,
    ]
    return { t, paths }
  }

  for (const [name, headers] of VARIANTS) {
    it(`answers exactly what the middleware chain answers, with ${name}`, async () => {
      const { t, paths } = await setup()
      for (const path of paths) await expectSameAnswer(t, path, { headers })
    })
  }

  it('answers 304 to a revalidation exactly as the chain does', async () => {
    const { t, paths } = await setup()
    for (const path of paths) {
      const etag = (await t.request(path)).headers.get('etag')!
      const lane = await expectSameAnswer(t, path, { headers: { 'If-None-Match': etag } })
      expect(lane.status).toBe(304)
    }
  })

  it('answers HEAD with the headers of GET and no body', async () => {
    const { t, paths } = await setup()
    const lane = await expectSameAnswer(t, paths[0]!, { method: 'HEAD' })
    expect(lane.status).toBe(200)
  })

  it('stays out of the way of readers with a token, later pages and errors', async () => {
    const { t, paths } = await setup()
    const before = laneStats.served
    const voter = newVoter()
    for (let i = 0; i < 3; i++) {
      await t.request(paths[0]!, { headers: { 'X-Voxpop-Voter': voter } })
      const first = await t.listOk({}, voter)
      await t.request(`/api/comments?page=${PAGE}&cursor=${encodeURIComponent(first.nextCursor ?? 'x')}`)
      await expectError(await t.request('/api/polls/khong-co'), 404, 'poll_not_found')
      await expectError(await t.request('/api/counts'), 400, 'invalid_request')
    }
    expect(laneStats.served).toBe(before)
  })

  it('counts its answers against the global rate limit, exactly', async () => {
    const t = createTestApp({ env: { VOXPOP_RATE_GLOBAL: '50/60s' } })
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const before = laneStats.served
    const statuses = []
    // The admin requests that made the poll count too.
    for (let i = 0; i < 60; i++) statuses.push((await t.getPoll(poll.id)).status)
    const allowed = statuses.filter((s) => s === 200).length
    expect(statuses.slice(allowed).every((s) => s === 429)).toBe(true)
    expect(allowed).toBeGreaterThan(40)
    expect(laneStats.served - before).toBeGreaterThan(20)
    const limit = (await t.getPoll(poll.id)).headers.get('ratelimit-policy')
    expect(limit).toBe('"global";q=50;w=60')
    // Every request before the refusals was counted: the limit holds at exactly 50.
    const admin = createTestApp({ env: { VOXPOP_RATE_GLOBAL: '50/60s' } })
    const other = await admin.createPoll({ resultsVisibility: 'always' })
    const adminRequests = 2
    let ok = 0
    for (let i = 0; i < 60; i++) if ((await admin.getPoll(other.id)).status === 200) ok++
    expect(ok).toBe(50 - adminRequests)
  })
})
