import Database from 'better-sqlite3'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { listen } from '../../server/listen.ts'
import { writeLaneStats } from '../../server/middleware/write-lane.ts'
import { issueFormToken } from '../../server/lib/signed.ts'
import { createTestApp, newVoter, SECRET, T0, type TestApp } from './helpers.ts'
import { raw, type Raw } from './raw-http.ts'

// A vote or a new comment the Node layer answers without Hono (server/middleware/write-lane.ts)
// must be answered as Hono answers it, byte for byte, and stored the same. Each test runs the
// same requests against two servers on identical databases: one sends each body with
// Content-Length, as browsers do (the lane may take it), the other chunked (the lane never takes
// those: Hono answers them all).

const SITE = 'https://baotinh.example.vn'

type Server = ReturnType<typeof listen>
const servers: Server[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

function start(t: TestApp): Promise<number> {
  return new Promise((resolve) => {
    servers.push(listen(t.service, { port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port)))
  })
}

/** A POST over a real socket, its body with Content-Length or chunked. */
const post = (port: number, path: string, headers: Record<string, string>, body: Buffer | string, chunked: boolean) => raw(port, path, headers, 'POST', { bytes: body, chunked })

/** Header fields as compared: not the time or the connection's, and RateLimit without its seconds to reset. */
const comparable = (headers: [string, string][]) =>
  headers
    .filter(([name]) => name !== 'date' && name !== 'connection' && name !== 'keep-alive')
    .map(([name, value]): [string, string] => [name, name === 'ratelimit' ? value.replace(/;t=\d+/g, '') : value])
    .sort()

const decoded = (raw: Raw) => {
  const encoding = raw.headers.find(([name]) => name === 'content-encoding')?.[1]
  return encoding === 'br' ? brotliDecompressSync(raw.body) : encoding === 'gzip' ? gunzipSync(raw.body) : raw.body
}

/** Two apps on databases alike to the byte, each listening; `lane` is sent bodies with Content-Length, `chain` chunked. */
async function twins(env: NodeJS.ProcessEnv = {}, setup?: (t: TestApp) => Promise<void>) {
  const lane = createTestApp({ env: { VOXPOP_ALLOWED_ORIGINS: SITE, ...env }, watchErrors: false })
  await setup?.(lane)
  const copy = new Database(lane.db.serialize())
  copy.pragma('foreign_keys = ON')
  const chain = createTestApp({ db: copy, env: { VOXPOP_ALLOWED_ORIGINS: SITE, ...env }, watchErrors: false })
  const ports = [await start(lane), await start(chain)] as const
  /** Sends the same write to both (a vote when `target` is a poll id) and expects the same answer; returns the lane's, and whether the lane answered it. */
  async function both(target: string, headers: Record<string, string>, body: Buffer | string | object) {
    const path = target.startsWith('/') ? target : `/api/polls/${target}/votes`
    const bytes = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body)
    const before = writeLaneStats.served
    const a = await post(ports[0], path, headers, bytes, false)
    const viaLane = writeLaneStats.served - before
    const b = await post(ports[1], path, headers, bytes, true)
    expect(writeLaneStats.served - before - viaLane).toBe(0)
    expect(a.status).toBe(b.status)
    expect(comparable(a.headers)).toEqual(comparable(b.headers))
    expect(decoded(a).toString()).toBe(decoded(b).toString())
    return { ...a, json: JSON.parse(decoded(a).toString()) as Record<string, any>, viaLane: viaLane === 1 }
  }
  const stored = (t: TestApp) => t.db.prepare('SELECT poll_id, voter_hash, ip_hash, option_ids, status, created_at FROM votes ORDER BY id').all()
  const posted = (t: TestApp) => t.db.prepare('SELECT * FROM comments ORDER BY id').all()
  return {
    lane,
    chain,
    both,
    sameBallots: () => expect(stored(lane)).toEqual(stored(chain)),
    sameComments: () => expect(posted(lane)).toEqual(posted(chain)),
    stored,
    posted,
  }
}

const json = { 'Content-Type': 'application/json' }

describe('votes answered before Hono, on a real listening server', () => {
  it('answers and stores a ballot as the chain does, from the second vote of a client on', async () => {
    let pollId = ''
    let options: string[] = []
    const { both, sameBallots, stored, lane } = await twins({}, async (t) => {
      const poll = await t.createPoll({ resultsVisibility: 'always', options: ['Điện thoại', 'Máy tính', 'Báo giấy'] })
      pollId = poll.id
      options = poll.options.map((o) => o.id)
    })
    // A client's first request takes the rate limits' leases from the store: that is the chain's to do.
    const first = await both(pollId, { ...json, 'X-Voxpop-Voter': newVoter() }, { options: [options[0]] })
    expect(first.status).toBe(201)
    expect(first.viaLane).toBe(false)

    const reader = newVoter()
    const second = await both(pollId, { ...json, 'X-Voxpop-Voter': reader, Origin: SITE }, { options: [options[1]] })
    expect(second.status).toBe(201)
    expect(second.viaLane).toBe(true)
    expect(second.json.myVote).toEqual([options[1]])
    expect(second.json.results.totalVoters).toBe(2)
    expect(second.headers).toContainEqual(['access-control-allow-origin', SITE])
    expect(second.headers).toContainEqual(['vary', 'Origin, Accept-Encoding'])
    expect(second.headers.find(([n]) => n === 'ratelimit')?.[1]).toMatch(/^"global";r=\d+;t=\d+, "vote";r=58;t=\d+$/)
    // The answer is the poll as this reader now reads it.
    const read = await lane.request(`/api/polls/${pollId}`, { headers: { 'X-Voxpop-Voter': reader } })
    expect(second.json).toEqual(await read.json())

    // The same reader again: 409 with the poll, from the lane too.
    const again = await both(pollId, { ...json, 'X-Voxpop-Voter': reader }, { options: [options[2]] })
    expect(again.status).toBe(409)
    expect(again.viaLane).toBe(true)
    expect(again.json.error.code).toBe('already_voted')
    expect(again.json.poll.myVote).toEqual([options[1]])
    sameBallots()
    expect(stored(lane)).toHaveLength(2)
  })

  it('leaves every refusal to the chain, which answers and counts it as before', async () => {
    let pollId = ''
    let options: string[] = []
    let closed = ''
    let multi = ''
    let multiOptions: string[] = []
    const { both, sameBallots } = await twins({}, async (t) => {
      const poll = await t.createPoll({ resultsVisibility: 'after_vote' })
      pollId = poll.id
      options = poll.options.map((o) => o.id)
      closed = (await t.createPoll({ closesAt: '2025-01-01T00:00:00Z', opensAt: '2024-12-01T00:00:00Z' })).id
      const m = await t.createPoll({ multiple: true, maxChoices: 2, options: ['a', 'b', 'c'] })
      multi = m.id
      multiOptions = m.options.map((o) => o.id)
    })
    await both(pollId, { ...json, 'X-Voxpop-Voter': newVoter() }, { options: [options[0]] })
    const cases: [Record<string, string>, Buffer | string | object, number, string, string?][] = [
      [{ ...json, 'X-Voxpop-Voter': newVoter(), Origin: 'https://elsewhere.example' }, { options: [options[0]] }, 403, 'origin_not_allowed'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { options: ['nope'] }, 400, 'invalid_choice'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { options: [options[0], options[1]] }, 400, 'invalid_choice'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { options: [] }, 400, 'invalid_choice'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { choices: [options[0]] }, 400, 'invalid_choice'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, '{"options": [', 400, 'invalid_json'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, 'invalid_json'],
      [{ ...json }, { options: [options[0]] }, 400, 'voter_required'],
      [{ ...json, 'X-Voxpop-Voter': 'short' }, { options: [options[0]] }, 400, 'voter_required'],
      [{ 'Content-Type': 'text/plain', 'X-Voxpop-Voter': newVoter() }, { options: [options[0]] }, 415, 'unsupported_media_type'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { options: [options[0]], pad: 'x'.repeat(17_000) }, 413, 'payload_too_large'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { options: [options[0]] }, 403, 'poll_closed', closed],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { options: [options[0]] }, 404, 'poll_not_found', 'no-such-poll'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { options: multiOptions }, 400, 'invalid_choice', multi],
    ]
    for (const [headers, body, status, code, target] of cases) {
      const answer = await both(target ?? pollId, headers, body)
      expect([answer.status, answer.json.error?.code]).toEqual([status, code])
      expect(answer.viaLane).toBe(false)
    }
    // What the lane does take on the same server afterwards: a multiple choice within the limit.
    const ok = await both(multi, { ...json, 'X-Voxpop-Voter': newVoter() }, { options: multiOptions.slice(0, 2) })
    expect(ok.status).toBe(201)
    expect(ok.viaLane).toBe(true)
    sameBallots()
  })

  it('compresses a long answer as the chain does, and flags ballots over the per-address cap alike', async () => {
    let pollId = ''
    let options: string[] = []
    const labels = Array.from({ length: 20 }, (_, i) => `Phương án số ${i + 1}: một câu trả lời khá dài để câu trả lời vượt quá một kilobyte`)
    const { both, sameBallots, lane } = await twins({}, async (t) => {
      const poll = await t.createPoll({ resultsVisibility: 'always', options: labels, maxVotesPerIp: 3, dedupe: 'voter+ip' })
      pollId = poll.id
      options = poll.options.map((o) => o.id)
    })
    const encodings = ['br', 'gzip', 'gzip, deflate, br, zstd', 'identity', 'br;q=0, gzip;q=0']
    const seen: string[] = []
    for (const [i, acceptEncoding] of encodings.entries()) {
      const answer = await both(pollId, { ...json, 'X-Voxpop-Voter': newVoter(), 'Accept-Encoding': acceptEncoding }, { options: [options[i]] })
      expect(answer.status).toBe(201)
      expect(answer.json.myVote).toEqual([options[i]])
      seen.push(answer.headers.find(([name]) => name === 'content-encoding')?.[1] ?? 'none')
      if (i > 0) expect(answer.viaLane).toBe(true)
    }
    expect(seen).toEqual(['br', 'gzip', 'br', 'none', 'none'])
    // Three counted from this address, then flagged: answered alike, stored alike, not counted.
    expect((await lane.adminView(pollId)).results.totalVoters).toBe(3)
    expect((await lane.adminView(pollId)).flaggedVotes).toBe(2)
    sameBallots()
  })

  it('counts the rate limits as the chain does, and leaves the refusal to it', async () => {
    let pollId = ''
    let option = ''
    // Leases of 4 global points and 3 vote points: they run out at different requests.
    const { both, sameBallots } = await twins({ VOXPOP_RATE_GLOBAL: '40/60s', VOXPOP_RATE_VOTE: '30/60s' }, async (t) => {
      const poll = await t.createPoll()
      pollId = poll.id
      option = poll.options[0]!.id
    })
    const statuses: number[] = []
    let viaLane = 0
    for (let i = 0; i < 33; i++) {
      const answer = await both(pollId, { ...json, 'X-Voxpop-Voter': newVoter() }, { options: [option] })
      statuses.push(answer.status)
      if (answer.viaLane) viaLane++
      if (answer.status === 429) {
        expect(answer.json.error.code).toBe('rate_limited')
        expect(answer.headers.some(([name]) => name === 'retry-after')).toBe(true)
      }
    }
    expect(statuses).toEqual([...Array(30).fill(201), 429, 429, 429])
    // The lane counts a vote only while both leases hold a point: requests 2, 3, 6, 8, 11 and 12 of
    // every twelve (three global leases and four vote leases per twelve), so 15 of the first 30.
    expect(viaLane).toBe(15)
    sameBallots()
  })

  it('answers a failure of the store as the chain does: a 500 with a request id, logged', async () => {
    let pollId = ''
    let option = ''
    const { both, lane, chain } = await twins({}, async (t) => {
      const poll = await t.createPoll()
      pollId = poll.id
      option = poll.options[0]!.id
    })
    await both(pollId, { ...json, 'X-Voxpop-Voter': newVoter() }, { options: [option] })
    for (const t of [lane, chain]) t.db.exec('ALTER TABLE votes RENAME TO votes_gone')
    const before = writeLaneStats.served
    const headers = { ...json, 'X-Voxpop-Voter': newVoter() }
    const port = (s: Server) => (s.address() as AddressInfo).port
    const [a, b] = [await post(port(servers[0]!), `/api/polls/${pollId}/votes`, headers, JSON.stringify({ options: [option] }), false), await post(port(servers[1]!), `/api/polls/${pollId}/votes`, headers, JSON.stringify({ options: [option] }), true)]
    expect(writeLaneStats.served - before).toBe(1)
    for (const answer of [a, b]) {
      expect(answer.status).toBe(500)
      const body = JSON.parse(answer.body.toString()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('internal_error')
      const id = answer.headers.find(([name]) => name === 'x-request-id')?.[1]
      expect(body.error.message).toContain(`(request ${id})`)
    }
    const without = (raw: Raw) => comparable(raw.headers).filter(([name]) => name !== 'x-request-id' && name !== 'content-length')
    expect(without(a)).toEqual(without(b))
    expect(lane.errors).toHaveLength(1)
    expect(lane.errors[0]).toMatch(/POST \/api\/polls\/.+\/votes failed/)
    expect(chain.errors).toHaveLength(1)
  })
})

describe('new comments answered before Hono, on a real listening server', () => {
  const page = 'bai-viet-lan-ghi'
  /** A form token as a person holds it: issued ten seconds before the (fake, shared) clock's now. */
  const formToken = issueFormToken(SECRET, T0 - 10_000)
  const comment = (body: string, extra: Record<string, unknown> = {}) => ({ page, title: 'Bài viết', url: 'https://baotinh.example.vn/bai-viet', body, formToken, ...extra })

  it('posts, replies, refuses a duplicate and answers spam as the chain does', async () => {
    const { both, sameComments, posted, lane } = await twins({ VOXPOP_MODERATION: 'post', VOXPOP_RATE_COMMENT: '10000/60s' })
    const first = await both('/api/comments', { ...json, 'X-Voxpop-Voter': newVoter() }, comment('Bài đầu tiên'))
    expect(first.status).toBe(201)
    expect(first.viaLane).toBe(false)

    const reader = newVoter()
    const second = await both('/api/comments', { ...json, 'X-Voxpop-Voter': reader, Origin: SITE }, comment('Tôi đồng ý với tác giả.'))
    expect(second.status).toBe(201)
    expect(second.viaLane).toBe(true)
    expect(second.json.status).toBe('approved')
    expect(second.json.comment.body).toBe('Tôi đồng ý với tác giả.')
    expect(second.json.editToken).toEqual(expect.any(String))
    expect(second.headers).toContainEqual(['access-control-allow-origin', SITE])
    expect(second.headers.find(([n]) => n === 'ratelimit')?.[1]).toMatch(/^"global";r=\d+;t=\d+, "comment";r=\d+;t=\d+$/)

    const cases: [string, Record<string, unknown>, number, string | null][] = [
      // The same text again from the same reader.
      [reader, comment('Tôi đồng ý với tác giả.'), 409, 'duplicate_comment'],
      // A reply to the comment above, and one to a comment that does not exist.
      [newVoter(), comment('Trả lời bạn', { parentId: second.json.comment.id }), 201, null],
      [newVoter(), comment('Trả lời ai?', { parentId: 999_999 }), 404, 'thread_not_found'],
      // Spam is answered as a held comment: a filled honeypot, no form token, one too fresh.
      [newVoter(), comment('Mua ngay', { website: 'http://spam.example' }), 201, null],
      [newVoter(), comment('Không có mã', { formToken: undefined }), 201, null],
      [newVoter(), comment('Quá nhanh', { formToken: issueFormToken(SECRET, T0 - 1000) }), 201, null],
      // More than three links: held for review even in post moderation.
      [newVoter(), comment('a https://a.vn b https://b.vn c https://c.vn d https://d.vn'), 201, null],
    ]
    for (const [voter, body, status, code] of cases) {
      const answer = await both('/api/comments', { ...json, 'X-Voxpop-Voter': voter }, body)
      expect([answer.status, answer.json.error?.code ?? null]).toEqual([status, code])
      expect(answer.viaLane).toBe(true)
    }
    const statuses = (posted(lane) as { status: string }[]).map((c) => c.status)
    expect(statuses).toEqual(['approved', 'approved', 'approved', 'spam', 'spam', 'spam', 'pending'])
    sameComments()
  })

  it('leaves refusals to the chain and compresses a long answer as it does', async () => {
    const { both, sameComments } = await twins({ VOXPOP_MODERATION: 'pre', VOXPOP_RATE_COMMENT: '10000/60s' })
    await both('/api/comments', { ...json, 'X-Voxpop-Voter': newVoter() }, comment('Khởi động'))
    const refused: [Record<string, string>, Record<string, unknown> | string, number, string][] = [
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, comment('   '), 400, 'invalid_comment'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, comment('x'.repeat(20_000)), 413, 'payload_too_large'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, { body: 'Thiếu trang' }, 400, 'invalid_comment'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, comment('Thư sai', { email: 'không-phải-thư' }), 400, 'invalid_comment'],
      [{ ...json }, comment('Không có người đọc'), 400, 'voter_required'],
      [{ ...json, 'X-Voxpop-Voter': newVoter(), Origin: 'https://elsewhere.example' }, comment('Trang khác'), 403, 'origin_not_allowed'],
      [{ ...json, 'X-Voxpop-Voter': newVoter() }, '{"page":', 400, 'invalid_json'],
    ]
    for (const [headers, body, status, code] of refused) {
      const answer = await both('/api/comments', headers, body)
      expect([answer.status, answer.json.error?.code]).toEqual([status, code])
      expect(answer.viaLane).toBe(false)
    }
    const long = await both('/api/comments', { ...json, 'X-Voxpop-Voter': newVoter(), 'Accept-Encoding': 'gzip, deflate, br' }, comment('Ý kiến dài. '.repeat(120)))
    expect(long.status).toBe(201)
    expect(long.viaLane).toBe(true)
    expect(long.json.status).toBe('pending')
    expect(long.headers).toContainEqual(['content-encoding', 'br'])
    sameComments()
  })
})

describe('the write lane and clients that go away', () => {
  it('keeps serving after a client leaves halfway through its body', async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    const port = await start(t)
    const body = JSON.stringify({ options: [poll.options[0]!.id] })
    // Warm the leases, so the next votes are the lane's.
    expect((await post(port, `/api/polls/${poll.id}/votes`, { ...json, 'X-Voxpop-Voter': newVoter() }, body, false)).status).toBe(201)
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/polls/${poll.id}/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Voxpop-Voter: ${newVoter()}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
          () => setTimeout(() => socket.destroy(), 20),
        )
      })
      socket.on('close', () => resolve())
    })
    const before = writeLaneStats.served
    const after = await post(port, `/api/polls/${poll.id}/votes`, { ...json, 'X-Voxpop-Voter': newVoter() }, body, false)
    expect(after.status).toBe(201)
    expect(writeLaneStats.served - before).toBe(1)
    // Only the two whole ballots were stored.
    expect((await t.adminView(poll.id)).results.totalVoters).toBe(2)
  })
})
