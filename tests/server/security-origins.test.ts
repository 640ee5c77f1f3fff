import { describe, expect, it } from 'vitest'
import { CLIENT_IP, createTestApp, expectError, newVoter, type TestApp } from './helpers.ts'

const PROXY = '192.0.2.10'
const PROXY_2 = '192.0.2.11'

/**
 * Which client the server believes a request came from, seen through the global rate limit:
 * with one request per client allowed, a second request from the same believed client is refused.
 */
function probe(env: NodeJS.ProcessEnv = {}) {
  const t = createTestApp({ env: { VOXPOP_RATE_GLOBAL: '1/600s', ...env } })
  return (socket: string, forwardedFor?: string) =>
    t.request('/api/polls/none', forwardedFor === undefined ? {} : { headers: { 'X-Forwarded-For': forwardedFor } }, socket)
}

describe('client address and X-Forwarded-For', () => {
  it('ignores a spoofed X-Forwarded-For without VOXPOP_TRUST_PROXY: the socket address decides', async () => {
    const send = probe()
    expect((await send(CLIENT_IP, '203.0.113.101')).status).toBe(404)
    await expectError(await send(CLIENT_IP, '203.0.113.102'), 429, 'rate_limited')
    await expectError(await send(CLIENT_IP, '203.0.113.103, 203.0.113.104'), 429, 'rate_limited')
    expect((await send('198.51.100.9', '203.0.113.101')).status).toBe(404)
  })

  it('ignores a spoofed X-Forwarded-For in the per-address vote cap without VOXPOP_TRUST_PROXY', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ maxVotesPerIp: 2 })
    for (let i = 0; i < 4; i++) {
      const res = await t.request(`/api/polls/${poll.id}/votes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter(), 'X-Forwarded-For': `203.0.113.${50 + i}` },
        body: JSON.stringify({ options: [poll.options[0]!.id] }),
      })
      expect(res.status).toBe(201)
    }
    expect((await t.adminView(poll.id)).flaggedVotes).toBe(2)
  })

  it('with VOXPOP_TRUST_PROXY=1 takes the address the one proxy saw, not what the client claims before it', async () => {
    const send = probe({ VOXPOP_TRUST_PROXY: '1' })
    expect((await send(PROXY, '203.0.113.1')).status).toBe(404)
    expect((await send(PROXY, '203.0.113.2')).status).toBe(404)
    await expectError(await send(PROXY, '203.0.113.1'), 429, 'rate_limited')
    // A client prepending a forged address changes nothing: the proxy appends the real one last.
    await expectError(await send(PROXY, '198.51.100.200, 203.0.113.1'), 429, 'rate_limited')
  })

  it('with VOXPOP_TRUST_PROXY=2 skips two hops', async () => {
    const send = probe({ VOXPOP_TRUST_PROXY: '2' })
    expect((await send(PROXY_2, '203.0.113.1, 192.0.2.50')).status).toBe(404)
    expect((await send(PROXY_2, '203.0.113.2, 192.0.2.50')).status).toBe(404)
    await expectError(await send(PROXY_2, 'forged, 203.0.113.1, 192.0.2.51'), 429, 'rate_limited')
  })

  it('with a list of proxy addresses believes only those proxies, walking back to the first untrusted hop', async () => {
    const send = probe({ VOXPOP_TRUST_PROXY: `${PROXY},${PROXY_2}` })
    expect((await send(PROXY_2, `203.0.113.1, ${PROXY}`)).status).toBe(404)
    expect((await send(PROXY_2, `203.0.113.2, ${PROXY}`)).status).toBe(404)
    await expectError(await send(PROXY, 'forged, 203.0.113.2'), 429, 'rate_limited')
    // From a peer that is not a listed proxy the header is not believed at all.
    expect((await send('198.51.100.9', '203.0.113.3')).status).toBe(404)
    await expectError(await send('198.51.100.9', '203.0.113.4'), 429, 'rate_limited')
  })

  it('uses the forwarded address for the per-address vote cap behind a trusted proxy', async () => {
    const t = createTestApp({ env: { VOXPOP_TRUST_PROXY: '1' } })
    const poll = await t.createPoll({ maxVotesPerIp: 1 })
    const vote = (client: string) =>
      t.request(
        `/api/polls/${poll.id}/votes`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter(), 'X-Forwarded-For': client },
          body: JSON.stringify({ options: [poll.options[0]!.id] }),
        },
        PROXY,
      )
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.1']) expect((await vote(client)).status).toBe(201)
    const admin = await t.adminView(poll.id)
    expect(admin.results.totalVoters).toBe(3)
    expect(admin.flaggedVotes).toBe(1)
  })
})

const SITE = 'https://bao.example'
const EVIL = 'https://evil.example'

/** A write of each public kind, sent with `origin` (or none). */
const WRITES: [string, (t: TestApp, pollId: string, optionId: string, headers: Record<string, string>) => Promise<Response>][] = [
  ['a vote', (t, pollId, optionId, headers) => t.send('POST', `/api/polls/${pollId}/votes`, { options: [optionId] }, { 'X-Voxpop-Voter': newVoter(), ...headers })],
  ['a comment', (t, _p, _o, headers) => t.send('POST', '/api/comments', { page: 'bai-1', body: 'Hay quá' }, { 'X-Voxpop-Voter': newVoter(), ...headers })],
  ['a like', (t, _p, _o, headers) => t.request('/api/comments/1/like', { method: 'PUT', headers: { 'X-Voxpop-Voter': newVoter(), ...headers } })],
  ['a sign-in', (t, _p, _o, headers) => t.send('POST', '/api/admin/session', { password: 'x' }, headers)],
]

describe('VOXPOP_ALLOWED_ORIGINS', () => {
  describe('reads', () => {
    it('sends CORS headers to a listed origin only', async () => {
      const t = createTestApp({ env: { VOXPOP_ALLOWED_ORIGINS: `${SITE},https://tin.example` } })
      const poll = await t.createPoll()
      const listed = await t.request(`/api/polls/${poll.id}`, { headers: { Origin: SITE } })
      expect(listed.status).toBe(200)
      expect(listed.headers.get('access-control-allow-origin')).toBe(SITE)
      expect(listed.headers.get('vary')).toMatch(/origin/i)
      const other = await t.request(`/api/polls/${poll.id}`, { headers: { Origin: EVIL } })
      expect(other.headers.get('access-control-allow-origin')).toBeNull()
    })

    it('answers a preflight from a listed origin and gives an unlisted one nothing to go on', async () => {
      const t = createTestApp({ env: { VOXPOP_ALLOWED_ORIGINS: SITE } })
      const preflight = (origin: string) =>
        t.request('/api/polls/x/votes', {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-voxpop-voter' },
        })
      const ok = await preflight(SITE)
      expect(ok.headers.get('access-control-allow-origin')).toBe(SITE)
      expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-voxpop-voter')
      expect((await preflight(EVIL)).headers.get('access-control-allow-origin')).toBeNull()
    })

    it('lets every origin embed when unset', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const res = await t.request(`/api/polls/${poll.id}`, { headers: { Origin: EVIL } })
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
    })
  })

  describe.each(WRITES)('writes: %s', (_, write) => {
    it('is refused 403 origin_not_allowed from an unlisted origin, and changes nothing', async () => {
      const t = createTestApp({ env: { VOXPOP_ALLOWED_ORIGINS: SITE } })
      const poll = await t.createPoll()
      const before = JSON.stringify(t.db.prepare('SELECT count(*) FROM votes').get()) + JSON.stringify(t.db.prepare('SELECT count(*) FROM comments').get())
      await expectError(await write(t, poll.id, poll.options[0]!.id, { Origin: EVIL }), 403, 'origin_not_allowed')
      await expectError(await write(t, poll.id, poll.options[0]!.id, { Origin: 'null' }), 403, 'origin_not_allowed')
      // An origin differing only in scheme or port is another origin.
      await expectError(await write(t, poll.id, poll.options[0]!.id, { Origin: 'http://bao.example' }), 403, 'origin_not_allowed')
      const after = JSON.stringify(t.db.prepare('SELECT count(*) FROM votes').get()) + JSON.stringify(t.db.prepare('SELECT count(*) FROM comments').get())
      expect(after).toBe(before)
    })

    it('passes the origin rule from a listed origin, from the server’s own origin and without an Origin header', async () => {
      const t = createTestApp({ env: { VOXPOP_ALLOWED_ORIGINS: SITE } })
      const poll = await t.createPoll()
      // app.request() addresses the app as http://localhost.
      const cases: Record<string, string>[] = [{ Origin: SITE }, { Origin: 'http://localhost' }, {}]
      for (const headers of cases) {
        const res = await write(t, poll.id, poll.options[0]!.id, headers)
        expect(res.status).not.toBe(403)
        expect(res.status).toBeLessThan(500)
      }
    })

    it('is not refused for its origin when the list is unset', async () => {
      const t = createTestApp()
      const poll = await t.createPoll()
      const res = await write(t, poll.id, poll.options[0]!.id, { Origin: EVIL })
      expect(res.status).not.toBe(403)
      expect(res.status).toBeLessThan(500)
    })
  })

  it('stores a vote from a listed origin', async () => {
    const t = createTestApp({ env: { VOXPOP_ALLOWED_ORIGINS: SITE } })
    const poll = await t.createPoll()
    const res = await t.send('POST', `/api/polls/${poll.id}/votes`, { options: [poll.options[0]!.id] }, { 'X-Voxpop-Voter': newVoter(), Origin: SITE })
    expect(res.status).toBe(201)
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE)
  })
})
