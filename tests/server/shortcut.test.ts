import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeAsset, type Assets } from '../../server/lib/assets.ts'
import { listen, shortcutStats } from '../../server/listen.ts'
import { createCommentApp, PAGE } from './comments-helpers.ts'
import { createTestApp, newVoter, type TestApp } from './helpers.ts'
import { raw } from './raw-http.ts'

// What the Node layer answers before Hono (server/listen.ts) must be what Hono answers, byte for byte.

const SITE = 'https://baotinh.example.vn'
const WIDGET = Buffer.from(`/* the widget */ ${'console.log("Thăm dò ý kiến");\n'.repeat(80)}`)

type Server = ReturnType<typeof listen>

function start(t: TestApp): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = listen(t.service, { port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, port: info.port }))
  })
}

const stop = (server: Server) => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))

/** Header fields that may differ between two answers to the same request: the time, and a client's remaining count. */
const comparable = (headers: [string, string][]) =>
  headers.filter(([name]) => name !== 'date' && name !== 'ratelimit' && name !== 'connection' && name !== 'keep-alive').sort()

/** A write that changes nothing a reader sees, but makes every kept answer stale. */
function touch(t: TestApp) {
  t.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('test-touch', ?)").run(String(Math.random()))
}

const VARIANTS: Record<string, string>[] = [
  {},
  { Origin: SITE },
  { Origin: 'https://elsewhere.example' },
  { 'Accept-Encoding': 'gzip, deflate, br, zstd' },
  { 'Accept-Encoding': 'gzip' },
]

describe('answers made before Hono, on a real listening server', () => {
  let t: ReturnType<typeof createCommentApp>
  let server: Server
  let port: number
  let paths: string[]

  beforeAll(async () => {
    const assets: Assets = new Map([
      ['/index.html', makeAsset('/index.html', Buffer.from('<!doctype html><title>Báo tỉnh</title>'))],
      ['/admin/index.html', makeAsset('/admin/index.html', Buffer.from('<!doctype html><title>Quản trị</title>'))],
      ['/embed.js', makeAsset('/embed.js', WIDGET)],
    ])
    t = createCommentApp({ env: { VOXPOP_MODERATION: 'post', VOXPOP_ALLOWED_ORIGINS: SITE }, assets, watchErrors: false })
    const open = await t.createPoll({ resultsVisibility: 'always' })
    const hidden = await t.createPoll({ resultsVisibility: 'after_vote' })
    await t.voteAsNewReader(open.id, [open.options[0]!.id])
    t.clock.advance(5000)
    // Enough comments for the first page to pass the compression threshold.
    for (let i = 0; i < 12; i++) await t.postOk(newVoter(), { body: `Ý kiến số ${i}: bài viết phản ánh đúng tình hình ở địa phương.` })
    paths = [`/api/polls/${open.id}`, `/api/polls/${hidden.id}`, `/api/comments?page=${PAGE}`, `/api/counts?page=${PAGE}&page=other`]
    ;({ server, port } = await start(t))
  })

  afterAll(async () => {
    await stop(server)
    expect(t.errors).toEqual([])
  })

  /** The same request twice after kept answers went stale: Hono's chain answers the first, the Node layer the second. */
  async function honoThenShortcut(path: string, headers: Record<string, string>) {
    touch(t)
    const before = shortcutStats.served
    const hono = await raw(port, path, headers)
    expect(shortcutStats.served).toBe(before)
    const shortcut = await raw(port, path, headers)
    expect(shortcutStats.served).toBe(before + 1)
    expect(shortcut.status).toBe(hono.status)
    expect(comparable(shortcut.headers)).toEqual(comparable(hono.headers))
    expect(shortcut.body.equals(hono.body)).toBe(true)
    return shortcut
  }

  it('sends kept API answers exactly as Hono sends them, for every Origin and encoding', async () => {
    for (const path of paths) {
      for (const headers of VARIANTS) {
        const answer = await honoThenShortcut(path, headers)
        expect(answer.status).toBe(200)
        const field = (name: string) => answer.headers.find(([n]) => n === name)?.[1]
        expect(field('content-length')).toBe(String(answer.body.length))
        expect(field('etag')).toMatch(/^W\/"/)
        // A client's remaining count only on answers meant for it alone.
        expect(field('ratelimit') === undefined).toBe(field('cache-control')!.startsWith('public'))
      }
    }
    // The compressed first page of comments is really compressed.
    const page = await honoThenShortcut(paths[2]!, { 'Accept-Encoding': 'br' })
    expect(page.headers).toContainEqual(['content-encoding', 'br'])
  })

  it('answers a revalidation 304 exactly as Hono does', async () => {
    for (const path of paths) {
      const etag = (await raw(port, path)).headers.find(([name]) => name === 'etag')![1]
      const answer = await honoThenShortcut(path, { 'If-None-Match': etag, Origin: SITE })
      expect(answer.status).toBe(304)
      expect(answer.body.length).toBe(0)
    }
  })

  it('sends static files exactly as Hono does', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/embed.js', {}],
      ['/embed.js?v=2', { 'Accept-Encoding': 'gzip, deflate, br, zstd' }],
      ['/embed.js', { 'Accept-Encoding': 'gzip' }],
      ['/', {}],
      ['/admin', { 'Accept-Encoding': 'br' }],
      ['/admin/', {}],
    ]
    for (const [path, headers] of cases) {
      const before = shortcutStats.served
      const shortcut = await raw(port, path, headers)
      expect(shortcutStats.served).toBe(before + 1)
      const hono = await t.app.request(path, { headers })
      expect(shortcut.status).toBe(hono.status)
      expect(comparable(shortcut.headers)).toEqual(comparable([...hono.headers]))
      expect(shortcut.body.equals(Buffer.from(await hono.arrayBuffer()))).toBe(true)
    }
    const etag = (await raw(port, '/embed.js')).headers.find(([name]) => name === 'etag')![1]
    const revalidated = await raw(port, '/embed.js', { 'If-None-Match': etag })
    expect(revalidated.status).toBe(304)
    expect(revalidated.body.length).toBe(0)
  })

  it('leaves to Hono whatever is not a plain GET of a kept answer or a file', async () => {
    const before = shortcutStats.served
    const voter = newVoter()
    for (const path of paths) expect((await raw(port, path, { 'X-Voxpop-Voter': voter })).status).toBe(200)
    expect((await raw(port, '/embed.js', {}, 'HEAD')).status).toBe(200)
    expect((await raw(port, paths[0]!, {}, 'HEAD')).status).toBe(200)
    expect((await raw(port, '/api/polls/khong-co')).status).toBe(404)
    expect((await raw(port, '/khong-co.js')).status).toBe(404)
    // Hono decodes the path: this is the widget, served the long way.
    const encoded = await raw(port, '/%65mbed.js')
    expect(encoded.status).toBe(200)
    expect(encoded.body.equals(WIDGET)).toBe(true)
    // An absolute-form target (as sent to a proxy) is Hono's to read, too.
    const absolute = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(`GET http://127.0.0.1:${port}${paths[0]} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`))
      let text = ''
      socket.on('data', (chunk) => (text += chunk.toString()))
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
    })
    expect(absolute.split('\r\n')[0]).toBe('HTTP/1.1 200 OK')
    expect(shortcutStats.served).toBe(before)
  })
})

describe('the global rate limit, on a real listening server', () => {
  it('counts answers made before Hono, exactly', async () => {
    const t = createTestApp({ env: { VOXPOP_RATE_GLOBAL: '30/60s' }, watchErrors: false })
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const { server, port } = await start(t)
    try {
      const before = shortcutStats.served
      const statuses: number[] = []
      for (let i = 0; i < 40; i++) statuses.push((await raw(port, `/api/polls/${poll.id}`)).status)
      // 127.0.0.1 made no other request: exactly 30 answers, then refusals.
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true)
      expect(statuses.slice(30).every((s) => s === 429)).toBe(true)
      // Leases of a tenth of the limit: one request in three takes a lease through Hono.
      expect(shortcutStats.served - before).toBeGreaterThanOrEqual(15)
      const refused = await raw(port, `/api/polls/${poll.id}`)
      expect(refused.status).toBe(429)
      expect(JSON.parse(refused.body.toString())).toMatchObject({ error: { code: 'rate_limited' } })
    } finally {
      await stop(server)
    }
    expect(t.errors).toEqual([])
  })
})
