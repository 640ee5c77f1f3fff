import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keyedHash } from '../../server/lib/crypto.ts'
import { MAX_BODY_BYTES } from '../../server/middleware/json-body.ts'
import type { AdminPollView, PollView } from '../../server/types.ts'
import { createTestApp, expectError, newVoter, paddedVoteBody, SECRET, streamOf, type TestApp } from './helpers.ts'
import { listen } from '../../server/listen.ts'

let t: TestApp
let server: ReturnType<typeof listen>
let base: string
let poll: AdminPollView

function post(path: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string>): Promise<Response> {
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers, body }
  if (body instanceof ReadableStream) init.duplex = 'half'
  return fetch(base + path, init)
}

function vote(voter: string, options: string[]): Promise<Response> {
  return post(`/api/polls/${poll.id}/votes`, JSON.stringify({ options }), { 'Content-Type': 'application/json', 'X-Voxpop-Voter': voter })
}

beforeAll(async () => {
  t = createTestApp({ watchErrors: false })
  poll = await t.createPoll({ options: ['Có', 'Không'], maxVotesPerIp: 1000 })
  // Served as main.ts serves it, on a free port chosen by the OS.
  const port = await new Promise<number>((resolve) => {
    server = listen(t.service, { port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port))
  })
  base = `http://127.0.0.1:${port}`
})

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  expect(t.errors).toEqual([])
})

describe('a real listening server', () => {
  it('answers GET /healthz', async () => {
    const res = await fetch(`${base}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('counts a vote, hashes the socket address, and shows the reader their vote afterwards', async () => {
    const voter = newVoter()
    const res = await vote(voter, [poll.options[0]!.id])
    expect(res.status).toBe(201)
    expect(((await res.json()) as PollView).myVote).toEqual([poll.options[0]!.id])
    const again = await fetch(`${base}/api/polls/${poll.id}`, { headers: { 'X-Voxpop-Voter': voter } })
    expect(again.status).toBe(200)
    const view = (await again.json()) as PollView
    expect(view.myVote).toEqual([poll.options[0]!.id])
    expect(view.results).not.toBeNull()
    const stored = t.db.prepare('SELECT ip_hash FROM votes ORDER BY id DESC LIMIT 1').get() as { ip_hash: string }
    expect(stored.ip_hash).toBe(keyedHash(SECRET, 'ip', poll.id, '127.0.0.1'))
  })

  it('answers 409 already_voted with the poll to a second vote from the same reader', async () => {
    const voter = newVoter()
    expect((await vote(voter, [poll.options[1]!.id])).status).toBe(201)
    const body = (await expectError(await vote(voter, [poll.options[0]!.id]), 409, 'already_voted')) as { poll: PollView }
    expect(body.poll.myVote).toEqual([poll.options[1]!.id])
  })

  it('counts 50 parallel submissions from one reader once', async () => {
    const voter = newVoter()
    const before = (await t.adminView(poll.id)).results.totalVoters
    const answers = await Promise.all(Array.from({ length: 50 }, () => vote(voter, [poll.options[0]!.id])))
    const statuses = answers.map((r) => r.status)
    await Promise.all(answers.map((r) => r.arrayBuffer()))
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(49)
    expect((await t.adminView(poll.id)).results.totalVoters).toBe(before + 1)
  }, 30_000)

  it('answers 415 to a text/plain body (a “simple” cross-site request)', async () => {
    const res = await post(`/api/polls/${poll.id}/votes`, JSON.stringify({ options: [poll.options[0]!.id] }), {
      'Content-Type': 'text/plain',
      'X-Voxpop-Voter': newVoter(),
    })
    await expectError(res, 415, 'unsupported_media_type')
  })

  it('answers 415 to a form post', async () => {
    const res = await post(`/api/polls/${poll.id}/votes`, `options=${poll.options[0]!.id}`, {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Voxpop-Voter': newVoter(),
    })
    await expectError(res, 415, 'unsupported_media_type')
  })

  it('answers 413 to a body over 16 KiB with a Content-Length', async () => {
    const body = paddedVoteBody([poll.options[0]!.id], MAX_BODY_BYTES + 1)
    const res = await post(`/api/polls/${poll.id}/votes`, body, { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter() })
    await expectError(res, 413, 'payload_too_large')
  })

  it('answers 413 to a chunked body over 16 KiB', async () => {
    const before = (await t.adminView(poll.id)).results.totalVoters
    const body = streamOf(paddedVoteBody([poll.options[0]!.id], 4 * MAX_BODY_BYTES), 1024)
    const res = await post(`/api/polls/${poll.id}/votes`, body, { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter() })
    await expectError(res, 413, 'payload_too_large')
    expect((await t.adminView(poll.id)).results.totalVoters).toBe(before)
  })

  it('accepts a chunked vote under the limit', async () => {
    const voter = newVoter()
    const body = streamOf(JSON.stringify({ options: [poll.options[1]!.id] }), 5)
    const res = await post(`/api/polls/${poll.id}/votes`, body, { 'Content-Type': 'application/json', 'X-Voxpop-Voter': voter })
    expect(res.status).toBe(201)
    expect(((await res.json()) as PollView).myVote).toEqual([poll.options[1]!.id])
  })

})
