import { keyedHash, keyedHashMemo, macsEqual } from './crypto.ts'

/** How long a form token may be used after it was issued. */
export const FORM_TOKEN_TTL_MS = 24 * 60 * 60 * 1000
/** A comment sent sooner than this after its form was loaded was not typed by a person. */
export const FORM_TOKEN_MIN_AGE_MS = 3000

/** `<epoch ms>.<HMAC-SHA256 base64url>`; anything else is not one of ours. */
const SIGNED = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/

function parse(token: unknown): { at: number; mac: string } | null {
  if (typeof token !== 'string' || token.length > 100) return null
  const m = SIGNED.exec(token)
  return m ? { at: Number(m[1]), mac: m[2]! } : null
}

/**
 * Each secret's form-token MACs by issue time, remembered: readers of a busy article share a form
 * token (the first page of its comments, token included, is one shared answer for a second and
 * in CDNs for longer), so most comments are checked against a MAC already made.
 */
const formMacs = new Map<string, (...parts: string[]) => string>()

function formMac(secret: string, issuedAt: number): string {
  let mac = formMacs.get(secret)
  if (!mac) formMacs.set(secret, (mac = keyedHashMemo(secret, 1000)))
  return mac('form-token', String(issuedAt))
}

const editMac = (secret: string, commentId: number, expiresAt: number) =>
  keyedHash(secret, 'edit-token', String(commentId), String(expiresAt))

/** A form token: the time the comment form was served, signed so it cannot be back-dated. */
export function issueFormToken(secret: string, now: number): string {
  return `${now}.${formMac(secret, now)}`
}

/**
 * What of a comment list's JSON names the answer: the form token inside is stamped to the
 * millisecond, but lists whose tokens were issued in the same hour are interchangeable (a token
 * stays valid for a day), so the ETag covers the token's hour only.
 */
export function formTokenHour(text: string): string {
  return text.replace(/"formToken":"(\d+)\.[\w-]+"/, (_, at: string) => `"formToken":${Math.floor(Number(at) / 3_600_000)}`)
}

/** Judges a form token sent with a comment; anything but `ok` marks the comment as spam. */
export function checkFormToken(secret: string, token: unknown, now: number): 'ok' | 'invalid' | 'expired' | 'too_fast' {
  const parsed = parse(token)
  if (!parsed || !macsEqual(parsed.mac, formMac(secret, parsed.at))) return 'invalid'
  if (now - parsed.at > FORM_TOKEN_TTL_MS) return 'expired'
  // A token from the future can only come from a clock change; treat it like a bot's haste.
  if (now - parsed.at < FORM_TOKEN_MIN_AGE_MS) return 'too_fast'
  return 'ok'
}

/** An edit token: HMAC over the comment id and the end of its edit window, which it carries. */
export function issueEditToken(secret: string, commentId: number, expiresAt: number): string {
  return `${expiresAt}.${editMac(secret, commentId, expiresAt)}`
}

/** Checks an `X-Voxpop-Edit-Token` for this comment: forged, missing or another comment's is `forbidden`. */
export function checkEditToken(secret: string, token: unknown, commentId: number, now: number): 'ok' | 'forbidden' | 'expired' {
  const parsed = parse(token)
  if (!parsed || !macsEqual(parsed.mac, editMac(secret, commentId, parsed.at))) return 'forbidden'
  return now < parsed.at ? 'ok' : 'expired'
}
