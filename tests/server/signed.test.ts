import { describe, expect, it } from 'vitest'
import { macsEqual } from '../../server/lib/crypto.ts'
import {
  checkEditToken,
  checkFormToken,
  FORM_TOKEN_MIN_AGE_MS,
  FORM_TOKEN_TTL_MS,
  issueEditToken,
  issueFormToken,
} from '../../server/lib/signed.ts'

const SECRET = 'test-secret-0123456789abcdef'
const OTHER = 'other-secret-0123456789abcdef'
const T0 = Date.UTC(2026, 10, 26, 8, 0, 0)

/** The token with one character of its MAC changed. */
function forged(token: string): string {
  const last = token.at(-1)!
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A')
}

describe('form tokens', () => {
  it('are too fast before 3 s, fine until a day has passed, expired after', () => {
    const token = issueFormToken(SECRET, T0)
    expect(checkFormToken(SECRET, token, T0 + FORM_TOKEN_MIN_AGE_MS - 1)).toBe('too_fast')
    expect(checkFormToken(SECRET, token, T0 + FORM_TOKEN_MIN_AGE_MS)).toBe('ok')
    expect(checkFormToken(SECRET, token, T0 + FORM_TOKEN_TTL_MS)).toBe('ok')
    expect(checkFormToken(SECRET, token, T0 + FORM_TOKEN_TTL_MS + 1)).toBe('expired')
  })

  it('are refused when forged, back-dated or signed with another secret, also once the genuine one was checked', () => {
    const token = issueFormToken(SECRET, T0)
    const later = T0 + 60_000
    // Checked first, so its MAC is remembered: what follows must not ride on that.
    expect(checkFormToken(SECRET, token, later)).toBe('ok')
    expect(checkFormToken(SECRET, forged(token), later)).toBe('invalid')
    expect(checkFormToken(SECRET, token.replace(String(T0), String(T0 - 3_600_000)), later)).toBe('invalid')
    expect(checkFormToken(OTHER, token, later)).toBe('invalid')
    expect(checkFormToken(SECRET, issueFormToken(OTHER, T0), later)).toBe('invalid')
    for (const junk of [undefined, null, 42, '', 'abc', `${T0}.`, `${T0}.${'A'.repeat(44)}`, { token }]) {
      expect(checkFormToken(SECRET, junk, later)).toBe('invalid')
    }
  })

  it('are checked right for many issue times in a row (the remembered MACs start over)', () => {
    for (let i = 0; i < 2500; i++) {
      const at = T0 + i
      expect(checkFormToken(SECRET, issueFormToken(SECRET, at), at + 5000)).toBe('ok')
    }
    expect(checkFormToken(SECRET, forged(issueFormToken(SECRET, T0 + 7)), T0 + 5000)).toBe('invalid')
  })
})

describe('edit tokens', () => {
  it('open the edit window of their own comment only, until it closes', () => {
    const until = T0 + 15 * 60_000
    const token = issueEditToken(SECRET, 41, until)
    expect(checkEditToken(SECRET, token, 41, T0)).toBe('ok')
    expect(checkEditToken(SECRET, token, 41, until)).toBe('expired')
    expect(checkEditToken(SECRET, token, 42, T0)).toBe('forbidden')
    expect(checkEditToken(SECRET, forged(token), 41, T0)).toBe('forbidden')
    expect(checkEditToken(OTHER, token, 41, T0)).toBe('forbidden')
    expect(checkEditToken(SECRET, undefined, 41, T0)).toBe('forbidden')
  })
})

describe('macsEqual', () => {
  it('is true for the same MAC only', () => {
    const mac = issueFormToken(SECRET, T0).split('.')[1]!
    expect(macsEqual(mac, mac.slice())).toBe(true)
    expect(macsEqual(forged(mac), mac)).toBe(false)
    expect(macsEqual(mac.slice(1), mac)).toBe(false)
    expect(macsEqual('', mac)).toBe(false)
  })
})
