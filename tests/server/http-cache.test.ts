import { get as httpGet } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { pickEncoding } from '../../server/middleware/compress.ts'
import { PRIVATE_CACHE_CONTROL } from '../../server/middleware/http-cache.ts'
import { createOpenCommentApp, PAGE } from './comments-helpers.ts'
import { createTestApp, HOUR, MINUTE, newVoter, type TestApp } from './helpers.ts'
import { listen } from '../../server/listen.ts'

const PUBLIC = /^public, max-age=\d+, stale-while-revalidate=\d+$/

function get(t: TestApp, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return t.request(path, { headers })
}

/** Expects a 304 that still names the answer's ETag and caching rules, with no body. */
async function expectNotModified(res: Response, etag: string, cacheControl: string | RegExp) {
  expect(res.status).toBe(304)
  expect(res.headers.get('etag')).toBe(etag)
  expect(res.headers.get('cache-control')).toMatch(cacheControl)
  expect(await res.text()).toBe('')
}

describe('GET /api/polls/:id caching', () => {
  it('answers a reader without a token a public, weak-ETagged copy when results are public, and 304 to a revalidation', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const res = await get(t, `/api/polls/${poll.id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toMatch(PUBLIC)
    expect(res.headers.get('vary')).toMatch(/x-voxpop-voter/i)
    const etag = res.headers.get('etag')!
    expect(etag).toMatch(/^W\/"[\w-]+"$/)
    await expectNotModified(await get(t, `/api/polls/${poll.id}`, { 'If-None-Match': etag }), etag, PUBLIC)
    await expectNotModified(await get(t, `/api/polls/${poll.id}`, { 'If-None-Match': `"other", ${etag.slice(2)}` }), etag, PUBLIC)
  })

  it('changes the ETag once a vote changes the results, and answers the old one with the new poll', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const before = (await get(t, `/api/polls/${poll.id}`)).headers.get('etag')!
    await t.voteAsNewReader(poll.id, [poll.options[0]!.id])
    const after = await get(t, `/api/polls/${poll.id}`, { 'If-None-Match': before })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(before)
    expect(((await after.json()) as { results: { totalVoters: number } }).results.totalVoters).toBe(1)
  })

  it('keeps an answer for a reader with a token private, and still revalidates it', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const voter = newVoter()
    const res = await get(t, `/api/polls/${poll.id}`, { 'X-Voxpop-Voter': voter })
    expect(res.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL)
    const etag = res.headers.get('etag')!
    await expectNotModified(await get(t, `/api/polls/${poll.id}`, { 'X-Voxpop-Voter': voter, 'If-None-Match': etag }), etag, PRIVATE_CACHE_CONTROL)
    await t.vote(poll.id, voter, [poll.options[1]!.id])
    const voted = await get(t, `/api/polls/${poll.id}`, { 'X-Voxpop-Voter': voter, 'If-None-Match': etag })
    expect(voted.status).toBe(200)
    expect(((await voted.json()) as { myVote: string[] }).myVote).toEqual([poll.options[1]!.id])
  })

  it('keeps a poll private while its results are hidden, and shares it once they are out to everyone', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ resultsVisibility: 'after_vote', closesAt: new Date(t.clock.now() + HOUR).toISOString() })
    expect((await get(t, `/api/polls/${poll.id}`)).headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL)
    t.clock.advance(HOUR + MINUTE)
    expect((await get(t, `/api/polls/${poll.id}`)).headers.get('cache-control')).toMatch(PUBLIC)
  })

  it('sets no ETag or cache rules on an error, nor on a vote', async () => {
    const t = createTestApp()
    const missing = await get(t, '/api/polls/nope')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('etag')).toBeNull()
    expect(missing.headers.get('cache-control')).toBeNull()
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const voted = await t.vote(poll.id, newVoter(), [poll.options[0]!.id])
    expect(voted.status).toBe(201)
    expect(voted.headers.get('etag')).toBeNull()
  })
})

describe('GET /api/comments caching', () => {
  async function threadWithComments(n: number) {
    const t = createOpenCommentApp()
    for (let i = 0; i < n; i++) await t.postOk(newVoter(), { body: `Ý kiến số ${i}: bài viết nói đúng điều tôi nghĩ.` })
    return t
  }

  it('shares the first page read without a token and answers 304 to a revalidation', async () => {
    const t = await threadWithComments(3)
    const res = await t.list()
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toMatch(PUBLIC)
    expect(res.headers.get('vary')).toMatch(/x-voxpop-voter/i)
    const etag = res.headers.get('etag')!
    t.clock.advance(1000)
    await expectNotModified(await t.request(`/api/comments?page=${PAGE}`, { headers: { 'If-None-Match': etag } }), etag, PUBLIC)
  })

  it('gives a fresh answer (new ETag, new form token) once the form token is an hour older', async () => {
    const t = await threadWithComments(1)
    const res = await t.list()
    const etag = res.headers.get('etag')!
    t.clock.advance(HOUR)
    const later = await t.request(`/api/comments?page=${PAGE}`, { headers: { 'If-None-Match': etag } })
    expect(later.status).toBe(200)
    expect(later.headers.get('etag')).not.toBe(etag)
  })

  it('changes the ETag when a comment is published', async () => {
    const t = await threadWithComments(1)
    const etag = (await t.list()).headers.get('etag')!
    await t.postOk(newVoter(), { body: 'Một ý kiến mới.' })
    const res = await t.request(`/api/comments?page=${PAGE}`, { headers: { 'If-None-Match': etag } })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { total: number }).total).toBe(2)
  })

  it('keeps a page read with a token, and any later page, private', async () => {
    const t = await threadWithComments(3)
    expect((await t.list({}, newVoter())).headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL)
    const first = (await t.listOk({ limit: '1' })) as { nextCursor: string }
    const second = await t.list({ limit: '1', cursor: first.nextCursor })
    expect(second.status).toBe(200)
    expect(second.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL)
    expect(second.headers.get('etag')).toMatch(/^W\//)
  })
})

describe('GET /api/counts caching', () => {
  it('is public with an ETag and answers 304 to a revalidation', async () => {
    const t = await createOpenCommentApp()
    await t.postOk(newVoter())
    const res = await t.counts([PAGE, 'other'])
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toMatch(/^public, /)
    const etag = res.headers.get('etag')!
    const again = await t.request(`/api/counts?page=${PAGE}&page=other`, { headers: { 'If-None-Match': etag } })
    await expectNotModified(again, etag, /^public, /)
  })
})

describe('compression of JSON answers', () => {
  async function bigList() {
    const t = createOpenCommentApp()
    for (let i = 0; i < 12; i++) await t.postOk(newVoter(), { body: `Ý kiến thứ ${i}: ${'Tôi đồng ý với tác giả về chuyện giao thông. '.repeat(3)}` })
    const plain = await t.list()
    return { t, plain: await plain.text(), etag: plain.headers.get('etag')! }
  }

  it('sends brotli when the client accepts it, gzip when only that, and the same JSON either way', async () => {
    const { t, plain, etag } = await bigList()
    expect(plain.length).toBeGreaterThan(1024)
    const br = await t.request(`/api/comments?page=${PAGE}`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(br.headers.get('etag')).toBe(etag)
    const brBytes = Buffer.from(await br.arrayBuffer())
    expect(brBytes.length).toBeLessThan(plain.length / 2)
    expect(brotliDecompressSync(brBytes).toString()).toBe(plain)
    const gz = await t.request(`/api/comments?page=${PAGE}`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(plain)
  })

  it('sends plain JSON to a client that accepts no encoding, and leaves small answers alone', async () => {
    const { t } = await bigList()
    const none = await t.request(`/api/comments?page=${PAGE}`, { headers: { 'Accept-Encoding': 'identity' } })
    expect(none.headers.get('content-encoding')).toBeNull()
    expect(none.headers.get('vary')).toMatch(/accept-encoding/i)
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const small = await t.request(`/api/polls/${poll.id}`, { headers: { 'Accept-Encoding': 'br, gzip' } })
    expect(small.headers.get('content-encoding')).toBeNull()
    expect(((await small.json()) as { id: string }).id).toBe(poll.id)
  })

  it('reads Accept-Encoding weights: q=0 refuses, the higher weight wins, * stands for the rest', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br')
    expect(pickEncoding('br;q=0, gzip')).toBe('gzip')
    expect(pickEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip')
    expect(pickEncoding('*')).toBe('br')
    expect(pickEncoding('gzip;q=0, *;q=0')).toBeNull()
    expect(pickEncoding('identity')).toBeNull()
    expect(pickEncoding(undefined)).toBeNull()
  })
})

describe('over a real socket (the lightweight responses of @hono/node-server)', () => {
  /** A raw GET: status, headers and the bytes exactly as sent. */
  function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      httpGet(url, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      }).on('error', reject)
    })
  }

  it('sends the same ETag, 304 and compressed bytes as in process', async () => {
    const t = createOpenCommentApp()
    for (let i = 0; i < 12; i++) await t.postOk(newVoter(), { body: `Ý kiến thứ ${i}: ${'Tôi đồng ý với tác giả. '.repeat(6)}` })
    const server = listen(t.service, { port: 0, hostname: '127.0.0.1' })
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/comments?page=${PAGE}`
      const plain = await rawGet(url, {})
      expect(plain.status).toBe(200)
      expect(plain.headers['cache-control']).toMatch(PUBLIC)
      const etag = plain.headers.etag as string
      expect(etag).toBe((await t.list()).headers.get('etag'))
      const br = await rawGet(url, { 'Accept-Encoding': 'br' })
      expect(br.headers['content-encoding']).toBe('br')
      expect(Number(br.headers['content-length'])).toBe(br.body.length)
      expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString())
      const notModified = await rawGet(url, { 'If-None-Match': etag, 'Accept-Encoding': 'br' })
      expect(notModified.status).toBe(304)
      expect(notModified.body.length).toBe(0)
      expect(notModified.headers.etag).toBe(etag)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
