import { describe, expect, it } from 'vitest'
import { keyedHash, keyedHashMemo } from '../../server/lib/crypto.ts'

describe('keyed hashes', () => {
  const secret = 'test-secret-0123456789abcdef'

  it('differ by key, by part and by where the parts split', () => {
    const h = keyedHash(secret, 'ip', 'poll', '203.0.113.5')
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(keyedHash('another-secret-0123456789', 'ip', 'poll', '203.0.113.5')).not.toBe(h)
    expect(keyedHash(secret, 'ip', 'poll2', '203.0.113.5')).not.toBe(h)
    expect(keyedHash(secret, 'ip', 'pol', 'l203.0.113.5')).not.toBe(h)
  })

  it('remembered: the same hash as keyedHash, before and after the memory starts over', () => {
    const memo = keyedHashMemo(secret, 3)
    const addresses = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.1', '198.51.100.7']
    for (const round of [1, 2]) {
      for (const ip of addresses) expect(memo('ip', 'poll', ip), `${ip}, round ${round}`).toBe(keyedHash(secret, 'ip', 'poll', ip))
    }
    expect(memo('ip', 'other-poll', '203.0.113.1')).toBe(keyedHash(secret, 'ip', 'other-poll', '203.0.113.1'))
  })
})
