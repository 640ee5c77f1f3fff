import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { makeAsset, type Assets } from '../../server/lib/assets.ts'
import { startServer } from '../e2e/server.ts'
import { ADMIN_PASSWORD, HOUR, SECRET, T0, createTestApp, everyStoredValue, expectError, freshDb } from './helpers.ts'

const DEMO_HTML = readFileSync('demo/index.html')
const ADMIN_HTML = readFileSync('widget/admin/index.html')

function appWithPages() {
  const assets: Assets = new Map([
    ['/index.html', makeAsset('/index.html', DEMO_HTML)],
    ['/admin/index.html', makeAsset('/admin/index.html', ADMIN_HTML)],
    ['/embed.js', makeAsset('/embed.js', Buffer.from('console.log(1)'))],
  ])
  const config = loadConfig({ VOXPOP_DB: ':memory:', VOXPOP_ADMIN_PASSWORD: ADMIN_PASSWORD })
  return createApp({ db: freshDb(), config, secret: SECRET, assets })
}

/** CSP directives by name: `{ 'script-src': ["'self'"], … }`. */
function csp(res: Response): Record<string, string[]> {
  const header = res.headers.get('content-security-policy')
  expect(header, 'Content-Security-Policy header').not.toBeNull()
  return Object.fromEntries(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  )
}

/** Inline code a CSP without 'unsafe-inline' would block: the page must not rely on any. */
function inlineCode(html: string): string[] {
  const found: string[] = []
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/.test(m[1]!) || m[2]!.trim()) found.push(m[0].slice(0, 80))
  }
  for (const m of html.matchAll(/<[^>]+\son[a-z]+\s*=/gi)) found.push(m[0].slice(0, 80))
  for (const m of html.matchAll(/(?:href|src|action)\s*=\s*["']?\s*javascript:/gi)) found.push(m[0])
  return found
}

describe('security headers on the server’s own pages', () => {
  it.each(['/', '/index.html', '/admin', '/admin/'])('GET %s has a CSP without unsafe-inline or eval scripts, nosniff and a Referrer-Policy', async (path) => {
    const res = await appWithPages().request(path)
    expect(res.status).toBe(200)
    const policy = csp(res)
    const scripts = policy['script-src'] ?? policy['default-src']!
    expect(scripts).toBeDefined()
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) expect(scripts).not.toContain(bad)
    expect(policy['object-src']).toEqual(["'none'"])
    expect(policy['base-uri']).toEqual(["'none'"])
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toMatch(/^(strict-origin-when-cross-origin|strict-origin|same-origin|no-referrer)$/)
  })

  it.each(['/admin', '/admin/', '/admin/index.html'])('GET %s may not be framed by anyone', async (path) => {
    const res = await appWithPages().request(path)
    expect(csp(res)['frame-ancestors']).toEqual(["'none'"])
    expect(res.headers.get('x-frame-options')).toBe('DENY')
  })

  it('keeps the headers on HEAD and on 304 Not Modified answers', async () => {
    const app = appWithPages()
    const head = await app.request('/admin/', { method: 'HEAD' })
    expect(csp(head)['frame-ancestors']).toEqual(["'none'"])
    const etag = (await app.request('/admin/')).headers.get('etag')!
    const notModified = await app.request('/admin/', { headers: { 'If-None-Match': etag } })
    expect(notModified.status).toBe(304)
    expect(csp(notModified)['frame-ancestors']).toEqual(["'none'"])
    expect(notModified.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves the widget script with nosniff', async () => {
    const res = await appWithPages().request('/embed.js')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/)
  })

  it.each([
    ['demo/index.html', DEMO_HTML],
    ['widget/admin/index.html', ADMIN_HTML],
  ])('%s needs no inline script, event-handler attribute or javascript: URL (its own CSP would block them)', (_, html) => {
    expect(inlineCode(html.toString('utf8'))).toEqual([])
  })
})

describe('admin sessions', () => {
  it('expire 12 hours after sign-in', async () => {
    const t = createTestApp()
    const res = await t.send('POST', '/api/admin/session', { password: ADMIN_PASSWORD })
    const { token, expiresAt } = (await res.json()) as { token: string; expiresAt: string }
    expect(expiresAt).toBe(new Date(T0 + 12 * HOUR).toISOString())
    const list = () => t.request('/api/admin/polls', { headers: { Authorization: `Bearer ${token}` } })
    t.clock.advance(12 * HOUR - 1)
    expect((await list()).status).toBe(200)
    t.clock.advance(1)
    await expectError(await list(), 401, 'unauthorized')
    // Going back in time does not revive it once purged by a later sign-in either.
    await t.send('POST', '/api/admin/session', { password: ADMIN_PASSWORD })
    t.clock.set(T0)
    await expectError(await list(), 401, 'unauthorized')
  })

  it('store neither the password nor the bearer token in the database', async () => {
    const t = createTestApp()
    const token = await t.signIn()
    const values = everyStoredValue(t.db).map((v) => v.value)
    expect(values.filter((v) => v.includes(ADMIN_PASSWORD) || v.includes(token))).toEqual([])
  })
})

describe('the admin password', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('is never written to the console or the error log, whatever is sent to sign in', async () => {
    const printed: string[] = []
    for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')))
    }
    const t = createTestApp()
    const attempts = [
      { password: ADMIN_PASSWORD },
      { password: `${ADMIN_PASSWORD}x` },
      { password: [ADMIN_PASSWORD] },
      { password: ADMIN_PASSWORD.repeat(200) },
    ]
    for (const body of attempts) await t.send('POST', '/api/admin/session', body)
    await t.send('POST', '/api/admin/session', `{"password":"${ADMIN_PASSWORD}"`)
    await t.send('POST', '/api/admin/session', JSON.stringify({ password: ADMIN_PASSWORD, pad: 'x'.repeat(20_000) }))
    await t.request('/api/admin/polls', { headers: { Authorization: `Bearer ${ADMIN_PASSWORD}` } })
    const logged = [...printed, ...t.errors].join('\n')
    expect(logged).not.toContain(ADMIN_PASSWORD)
  })

  it('never appears in the output of a real server process, from start to stop', async () => {
    const password = 'Pw-never-logged-7f3a9c'
    const server = await startServer({ VOXPOP_ADMIN_PASSWORD: password })
    try {
      const login = (pw: string) =>
        fetch(`${server.url}/api/admin/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: pw }) })
      expect((await login('wrong')).status).toBe(401)
      expect((await login(password)).status).toBe(200)
      expect((await login(`{"password":"${password}`)).status).toBe(401)
    } finally {
      await server.stop('SIGTERM')
    }
    expect(server.output()).toContain('listening on')
    expect(server.output()).not.toContain(password)
  }, 30_000)

  it('is not echoed when the server refuses to start on a bad setting', () => {
    const password = 'Pw-never-logged-on-error-1b2c'
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, VOXPOP_ADMIN_PASSWORD: password, PORT: 'not-a-port', VOXPOP_DB: ':memory:' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('PORT')
    expect(run.stdout + run.stderr).not.toContain(password)
  }, 30_000)
})
