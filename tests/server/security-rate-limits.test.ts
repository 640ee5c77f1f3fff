import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_RATES } from '../../server/config.ts'
import { migrate } from '../../server/db/migrate.ts'
import { openDatabase } from '../../server/db/open.ts'
import { openRateLimitDb } from '../../server/db/rate-limits.ts'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import {
  ADMIN_PASSWORD,
  CLIENT_IP,
  MINUTE,
  SECRET,
  createTestApp,
  everyStoredValue,
  expectError,
  newVoter,
  type Clock,
  type TestApp,
} from './helpers.ts'
import { fakeSystemClock, headerItems } from './security-helpers.ts'

const OTHER_IP = '198.51.100.77'

/** One request of each limited kind, sent as a new reader from `ip`; `i` keeps bodies distinct. */
const SENDERS: Record<'vote' | 'comment' | 'like' | 'global', (t: TestApp, pollId: string, optionId: string, i: number, ip?: string) => Promise<Response>> = {
  vote: (t, pollId, optionId, _i, ip) => t.vote(pollId, newVoter(), [optionId], ip),
  comment: (t, _p, _o, i, ip) =>
    t.request(
      '/api/comments',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter() },
        body: JSON.stringify({ page: 'bai-viet-1', body: `Ý kiến số ${i}` }),
      },
      ip,
    ),
  // Likes count PUT and DELETE alike; the comment does not exist, which the limiter does not care about.
  like: (t, _p, _o, i, ip) =>
    t.request('/api/comments/999/like', { method: i % 2 ? 'DELETE' : 'PUT', headers: { 'X-Voxpop-Voter': newVoter() } }, ip),
  // With a reader token: an answer for this reader only (a shared one carries no counts, see below).
  global: (t, pollId, _o, _i, ip) => t.request(`/api/polls/${pollId}`, { headers: { 'X-Voxpop-Voter': newVoter() } }, ip),
}

const ENV_NAMES = { vote: 'VOXPOP_RATE_VOTE', comment: 'VOXPOP_RATE_COMMENT', like: 'VOXPOP_RATE_LIKE', global: 'VOXPOP_RATE_GLOBAL' }

describe('rate limits per client and kind', () => {
  let clock: Clock
  beforeEach(() => {
    clock = fakeSystemClock()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** An app whose `kind` allows 3 requests a minute; the poll is created before the limits matter. */
  async function limitedApp(kind: keyof typeof SENDERS, extra: NodeJS.ProcessEnv = {}) {
    const t = createTestApp({ clock, env: { [ENV_NAMES[kind]]: '3/60s', ...extra } })
    // Another secret hashes the same address to another counter: setting up spends none of the reader's budget.
    const setup = createTestApp({ db: t.db, clock, secret: 'setup-secret-0123456789' })
    const poll = await setup.createPoll({ resultsVisibility: 'always' })
    return { t, poll, send: (i: number, ip?: string) => SENDERS[kind](t, poll.id, poll.options[0]!.id, i, ip) }
  }

  describe.each(['vote', 'comment', 'like', 'global'] as const)('%s', (kind) => {
    it('lets exactly the configured count through and answers the next one 429 rate_limited', async () => {
      const { send } = await limitedApp(kind)
      for (let i = 0; i < 3; i++) expect((await send(i)).status).not.toBe(429)
      const refused = await send(3)
      await expectError(refused, 429, 'rate_limited')
      expect(refused.headers.get('retry-after')).toBe('60')
      expect(headerItems(refused, 'ratelimit-policy')).toContain(`"${kind}";q=3;w=60`)
      expect(headerItems(refused, 'ratelimit')).toContain(`"${kind}";r=0;t=60`)
    })

    it('announces the policy and what is left on requests that are let through', async () => {
      const { send } = await limitedApp(kind)
      clock.advance(1000)
      const first = await send(0)
      expect(first.status).not.toBe(429)
      expect(headerItems(first, 'ratelimit-policy')).toContain(`"${kind}";q=3;w=60`)
      expect(headerItems(first, 'ratelimit')).toContain(`"${kind}";r=2;t=60`)
      clock.advance(20_000)
      expect(headerItems(await send(1), 'ratelimit')).toContain(`"${kind}";r=1;t=40`)
    })

    it('honours Retry-After: refused until the window has passed, served again right after', async () => {
      const { send } = await limitedApp(kind)
      for (let i = 0; i < 3; i++) await send(i)
      clock.advance(59_000)
      const late = await send(3)
      await expectError(late, 429, 'rate_limited')
      expect(late.headers.get('retry-after')).toBe('1')
      clock.advance(Number(late.headers.get('retry-after')) * 1000)
      const again = await send(4)
      expect(again.status).not.toBe(429)
      expect(headerItems(again, 'ratelimit')).toContain(`"${kind}";r=2;t=60`)
    })

    it('keeps a separate budget for every client address', async () => {
      const { send } = await limitedApp(kind)
      for (let i = 0; i < 4; i++) await send(i)
      expect((await send(4)).status).toBe(429)
      expect((await send(5, OTHER_IP)).status).not.toBe(429)
    })
  })

  it('counts a refused vote nowhere: no ballot is stored for it', async () => {
    const { t, send } = await limitedApp('vote')
    for (let i = 0; i < 5; i++) await send(i)
    expect(t.db.prepare('SELECT count(*) AS n FROM votes').get()).toEqual({ n: 3 })
  })

  it('keeps kinds apart: a reader out of votes can still read polls and post comments', async () => {
    const { t, poll, send } = await limitedApp('vote')
    for (let i = 0; i < 4; i++) await send(i)
    expect((await t.getPoll(poll.id)).status).toBe(200)
    expect((await SENDERS.comment(t, poll.id, '', 1)).status).toBe(201)
  })

  it('sends both items on a vote, the global one and the vote one', async () => {
    const { send } = await limitedApp('vote', { VOXPOP_RATE_GLOBAL: '100/60s' })
    const res = await send(0)
    expect(res.status).toBe(201)
    expect(headerItems(res, 'ratelimit-policy').sort()).toEqual(['"global";q=100;w=60', '"vote";q=3;w=60'])
    expect(headerItems(res, 'ratelimit').sort()).toEqual(['"global";r=99;t=60', '"vote";r=2;t=60'])
  })

  it('counts shared answers without putting a client’s count on them, and refuses with it', async () => {
    const { t, poll } = await limitedApp('global')
    const shared = [await t.request(`/api/polls/${poll.id}`), await t.request(`/api/counts?page=a`), await t.request(`/api/comments?page=a`)]
    for (const res of shared) {
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toMatch(/^public/)
      // A CDN keeps this answer for every reader: one reader's remaining count must not ride along.
      expect(res.headers.has('ratelimit')).toBe(false)
      expect(res.headers.has('ratelimit-policy')).toBe(false)
    }
    const refused = await t.request(`/api/polls/${poll.id}`)
    await expectError(refused, 429, 'rate_limited')
    expect(headerItems(refused, 'ratelimit')).toEqual(['"global";r=0;t=60'])
    expect(refused.headers.get('cache-control') ?? '').not.toMatch(/public/)
  })

  it('lets a reader on another site read the 429 and its headers (CORS on the refusal)', async () => {
    const { t, poll } = await limitedApp('global', { VOXPOP_ALLOWED_ORIGINS: 'https://bao.example' })
    const get = () => t.request(`/api/polls/${poll.id}`, { headers: { Origin: 'https://bao.example' } })
    for (let i = 0; i < 3; i++) await get()
    const refused = await get()
    expect(refused.status).toBe(429)
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://bao.example')
    const exposed = (refused.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/)
    expect(exposed).toEqual(expect.arrayContaining(['retry-after', 'ratelimit', 'ratelimit-policy']))
  })

  it('stores no raw client address in its counters', async () => {
    const { t, send } = await limitedApp('vote')
    for (let i = 0; i < 4; i++) await send(i)
    const rows = t.db.prepare<[], { key: string }>('SELECT key FROM rate_limits').all()
    expect(rows.length).toBeGreaterThan(0)
    const leaks = everyStoredValue(t.db).filter((v) => v.value.includes(CLIENT_IP))
    expect(leaks).toEqual([])
  })

  it('shares counters between server processes on the same database file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'voxpop-rate-')), 'shared.sqlite')
    const config = loadConfig({ VOXPOP_DB: file, VOXPOP_ADMIN_PASSWORD: ADMIN_PASSWORD, VOXPOP_RATE_GLOBAL: '3/60s' })
    const dbs = [openDatabase(file), openDatabase(file)]
    migrate(dbs[0]!)
    const rateDbs = dbs.map(openRateLimitDb)
    const apps = dbs.map((db, i) => createApp({ db, rateDb: rateDbs[i], config, secret: SECRET, now: clock.now }))
    const get = (app: (typeof apps)[number]) =>
      Promise.resolve(app.request('/api/polls/none', {}, { incoming: { socket: { remoteAddress: CLIENT_IP } } }))
    try {
      expect((await get(apps[0]!)).status).toBe(404)
      expect((await get(apps[1]!)).status).toBe(404)
      expect((await get(apps[0]!)).status).toBe(404)
      await expectError(await get(apps[1]!), 429, 'rate_limited')
      // The counters live on a connection that does not fsync every commit.
      expect(rateDbs[0]!.pragma('synchronous', { simple: true })).toBe(1)
    } finally {
      for (const db of [...rateDbs, ...dbs]) db.close()
    }
  })

  it('has defaults that match the documented table', () => {
    expect(DEFAULT_RATES).toEqual({
      vote: { count: 60, windowSeconds: 60 },
      comment: { count: 60, windowSeconds: 600 },
      like: { count: 120, windowSeconds: 60 },
      login: { count: 5, windowSeconds: 900 },
      global: { count: 1200, windowSeconds: 60 },
    })
  })
})

describe('POST /api/admin/session failures', () => {
  let clock: Clock
  beforeEach(() => {
    clock = fakeSystemClock()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const login = (t: TestApp, password: string, ip = CLIENT_IP) =>
    t.request('/api/admin/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password }) }, ip)

  it('answers 429 even to the right password after 5 failures within 15 minutes, until the window passes', async () => {
    const t = createTestApp({ clock })
    for (let i = 0; i < 5; i++) {
      await expectError(await login(t, `guess-${i}`), 401, 'invalid_credentials')
      clock.advance(MINUTE)
    }
    const locked = await login(t, ADMIN_PASSWORD)
    await expectError(locked, 429, 'rate_limited')
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60 - 5 * 60)
    expect(headerItems(locked, 'ratelimit-policy')).toContain('"login";q=5;w=900')
    clock.advance(9 * MINUTE + 59_000)
    await expectError(await login(t, ADMIN_PASSWORD), 429, 'rate_limited')
    clock.advance(1000)
    expect((await login(t, ADMIN_PASSWORD)).status).toBe(200)
  })

  it('counts failures only: successful sign-ins never use up the budget', async () => {
    const t = createTestApp({ clock })
    for (let i = 0; i < 12; i++) expect((await login(t, ADMIN_PASSWORD)).status).toBe(200)
    for (let i = 0; i < 4; i++) await expectError(await login(t, 'wrong'), 401, 'invalid_credentials')
    const ok = await login(t, ADMIN_PASSWORD)
    expect(ok.status).toBe(200)
    expect(headerItems(ok, 'ratelimit')).toContain('"login";r=1;t=900')
  })

  it('counts per client, and a success from one client does not clear another’s failures', async () => {
    const t = createTestApp({ clock })
    for (let i = 0; i < 5; i++) await login(t, 'wrong')
    expect((await login(t, ADMIN_PASSWORD, OTHER_IP)).status).toBe(200)
    await expectError(await login(t, ADMIN_PASSWORD), 429, 'rate_limited')
  })

  it('lets no more than 5 of many parallel guesses reach the password check', async () => {
    const t = createTestApp({ clock })
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(t, `parallel-${i}`)))
    expect(answers.filter((r) => r.status === 401)).toHaveLength(5)
    expect(answers.filter((r) => r.status === 429)).toHaveLength(15)
  })

  it('follows VOXPOP_RATE_LOGIN', async () => {
    const t = createTestApp({ clock, env: { VOXPOP_RATE_LOGIN: '2/60s' } })
    await login(t, 'a')
    await login(t, 'b')
    await expectError(await login(t, ADMIN_PASSWORD), 429, 'rate_limited')
    clock.advance(MINUTE)
    expect((await login(t, ADMIN_PASSWORD)).status).toBe(200)
  })
})
