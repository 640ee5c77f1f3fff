import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, expectError, type TestApp } from './helpers.ts'

/**
 * Every admin route the app has, read from the router itself: a route added later is checked
 * here without anyone remembering to list it. Sign-in and sign-out are public by design.
 */
function adminRoutes(t: TestApp): { method: string; path: string }[] {
  const seen = new Set<string>()
  const routes: { method: string; path: string }[] = []
  for (const r of t.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/admin/') || r.path.startsWith('/api/admin/session')) continue
    const key = `${r.method} ${r.path}`
    if (seen.has(key)) continue
    seen.add(key)
    routes.push({ method: r.method, path: r.path })
  }
  return routes
}

/** A concrete URL for a route pattern: every `:param` filled with a plausible value. */
const concrete = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => (name === 'id' ? '1' : 'x'))

/** The route called with `headers`, with a JSON body where the method takes one (so 415 never hides a 401). */
function call(t: TestApp, method: string, path: string, headers: Record<string, string>): Promise<Response> {
  const hasBody = method === 'POST' || method === 'PATCH' || method === 'PUT'
  return t.request(concrete(path), {
    method,
    headers: hasBody ? { ...headers, 'Content-Type': 'application/json' } : headers,
    body: hasBody ? '{}' : undefined,
  })
}

describe('admin routes', () => {
  // Two apps serve every check that changes nothing; each is watched for 500s after every test.
  const shared = createTestApp({ watchErrors: false })
  const disabled = createTestApp({ watchErrors: false, env: { VOXPOP_ADMIN_PASSWORD: undefined } })
  const routes = adminRoutes(shared)
  afterEach(() => {
    expect(shared.errors).toEqual([])
    expect(disabled.errors).toEqual([])
  })

  it('are found in the router, the console and export routes among them', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`)
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /api/admin/polls',
        'POST /api/admin/polls',
        'GET /api/admin/polls/:id',
        'PATCH /api/admin/polls/:id',
        'DELETE /api/admin/polls/:id',
        'GET /api/admin/polls/:id/results.csv',
        'GET /api/admin/polls/:id/votes.csv',
        'GET /api/admin/polls/:id/timeline',
        'GET /api/admin/comments.csv',
        'GET /api/admin/stats',
        'GET /api/admin/config',
        'GET /api/admin/comments',
        'POST /api/admin/comments/:id/approve',
        'POST /api/admin/comments/:id/reject',
        'DELETE /api/admin/comments/:id',
        'GET /api/admin/threads',
      ]),
    )
  })

  it.each(routes)('$method $path answers 401 unauthorized without a token', async ({ method, path }) => {
    await expectError(await call(shared, method, path, {}), 401, 'unauthorized')
  })

  it.each(routes)('$method $path answers 401 unauthorized with a token that was never issued', async ({ method, path }) => {
    await shared.signIn()
    await expectError(await call(shared, method, path, { Authorization: `Bearer ${'A'.repeat(43)}` }), 401, 'unauthorized')
  })

  it.each(routes)('$method $path answers 401 unauthorized to a malformed Authorization header', async ({ method, path }) => {
    const token = await shared.signIn()
    await expectError(await call(shared, method, path, { Authorization: token }), 401, 'unauthorized')
    await expectError(await call(shared, method, path, { Authorization: `Basic ${token}` }), 401, 'unauthorized')
  })

  it.each(routes)('$method $path answers 401 unauthorized after sign-out', async ({ method, path }) => {
    const t = createTestApp()
    const token = await t.signIn()
    const out = await t.request('/api/admin/session', { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })
    expect(out.status).toBe(204)
    await expectError(await call(t, method, path, { Authorization: `Bearer ${token}` }), 401, 'unauthorized')
  })

  it.each(routes)('$method $path answers 401 admin_disabled while no admin password is set', async ({ method, path }) => {
    await expectError(await call(disabled, method, path, { Authorization: `Bearer ${'A'.repeat(43)}` }), 401, 'admin_disabled')
  })

  it.each(routes)('$method $path lets a signed-in admin through (not 401)', async ({ method, path }) => {
    const t = createTestApp()
    const token = await t.signIn()
    const res = await call(t, method, path, { Authorization: `Bearer ${token}` })
    expect(res.status).not.toBe(401)
    expect(res.status).toBeLessThan(500)
  })
})
