import { beforeEach, describe, expect, it, vi } from 'vitest'

const KEY = 'voxpop:voter'
const TOKEN = /^[A-Za-z0-9_-]{22,}$/

/** A fresh copy of the module, so its in-memory fallback starts empty as on a new page. */
async function freshVoter() {
  vi.resetModules()
  return (await import('../../widget/src/voter.ts')).voterToken
}

/** Replaces `window.localStorage` with `get`, e.g. one that throws as blocked storage does. */
function replaceStorage(get: () => Storage) {
  const own = Object.getOwnPropertyDescriptor(window, 'localStorage')
  Object.defineProperty(window, 'localStorage', { configurable: true, get })
  return () => {
    if (own) Object.defineProperty(window, 'localStorage', own)
    else delete (window as { localStorage?: Storage }).localStorage
  }
}

beforeEach(() => localStorage.clear())

describe('voterToken', () => {
  it('creates a base64url token of at least 128 bits', async () => {
    const voterToken = await freshVoter()
    const token = voterToken()
    expect(token).toMatch(TOKEN)
    // 22 base64 characters carry 132 bits; padding is stripped.
    expect(token.length).toBeGreaterThanOrEqual(22)
    expect(token).not.toContain('=')
  })

  it('gives different readers different tokens', async () => {
    const tokens = new Set<string>()
    for (let i = 0; i < 20; i++) {
      localStorage.clear()
      tokens.add((await freshVoter())())
    }
    expect(tokens.size).toBe(20)
  })

  it('returns the same token on every call and keeps it in localStorage for the next page view', async () => {
    const first = (await freshVoter())()
    expect(localStorage.getItem(KEY)).toBe(first)
    const voterToken = await freshVoter()
    expect(voterToken()).toBe(first)
    expect(voterToken()).toBe(first)
  })

  it('replaces a malformed stored token', async () => {
    localStorage.setItem(KEY, 'short')
    const token = (await freshVoter())()
    expect(token).toMatch(TOKEN)
    expect(localStorage.getItem(KEY)).toBe(token)
  })

  it('keeps a stable token in memory when localStorage throws on access', async () => {
    const restore = replaceStorage(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    })
    try {
      expect(() => window.localStorage).toThrow()
      const voterToken = await freshVoter()
      const token = voterToken()
      expect(token).toMatch(TOKEN)
      expect(voterToken()).toBe(token)
    } finally {
      restore()
    }
  })

  it('keeps a stable token when reading and writing storage throw', async () => {
    const fail = (name: string) => () => {
      throw new DOMException(name, name)
    }
    const broken = { getItem: fail('SecurityError'), setItem: fail('QuotaExceededError') } as unknown as Storage
    const restore = replaceStorage(() => broken)
    try {
      const voterToken = await freshVoter()
      const token = voterToken()
      expect(token).toMatch(TOKEN)
      expect(voterToken()).toBe(token)
    } finally {
      restore()
    }
  })
})

describe('reads before and after the first write', () => {
  /** Fresh copies of the api and voter modules with fetch mocked; returns the headers of each call. */
  async function freshApi() {
    vi.resetModules()
    const calls: Record<string, string>[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        calls.push(init.headers as Record<string, string>)
        return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } })
      }),
    )
    const { request } = await import('../../widget/src/api.ts')
    const { knownToken } = await import('../../widget/src/voter.ts')
    return { request, knownToken, calls }
  }

  it('reads without a token until the reader votes, comments or likes, then sends theirs every time', async () => {
    const { request, knownToken, calls } = await freshApi()
    try {
      await request('https://api.example', '/api/polls/p1')
      expect(calls[0]).not.toHaveProperty('X-Voxpop-Voter')
      expect(knownToken()).toBe('')
      expect(localStorage.getItem(KEY)).toBeNull()
      await request('https://api.example', '/api/polls/p1/votes', 'POST', { options: ['a'] })
      const token = calls[1]!['X-Voxpop-Voter']
      expect(token).toMatch(TOKEN)
      await request('https://api.example', '/api/polls/p1')
      expect(calls[2]!['X-Voxpop-Voter']).toBe(token)
      expect(knownToken()).toBe(token)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
