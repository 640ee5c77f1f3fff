import { describe, expect, it } from 'vitest'
import { createTestApp, expectError } from './helpers.ts'

describe('GET /healthz', () => {
  it('answers 200 {"ok":true} once the database is open', async () => {
    const t = createTestApp()
    const res = await t.request('/healthz')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('does not answer 200 once the database is closed', async () => {
    const t = createTestApp({ watchErrors: false })
    t.db.close()
    const res = await t.request('/healthz')
    expect(res.status).toBe(500)
    expect(t.errors).toHaveLength(1)
  })
})

describe('unknown routes', () => {
  it('answer 404 in the JSON error envelope', async () => {
    const t = createTestApp()
    await expectError(await t.request('/api/nothing-here'), 404, 'not_found')
    await expectError(await t.request('/api/polls'), 404, 'not_found')
  })
})
