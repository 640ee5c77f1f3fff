import { createHash, createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto'

/** A random URL-safe id with `bytes` bytes of entropy. */
export function randomId(bytes = 9): string {
  return randomBytes(bytes).toString('base64url')
}

/** Secrets as prepared keys: preparing the key again costs a fifth of each HMAC. */
const keys = new Map<string, KeyObject>()

/** HMAC-SHA256 of `parts` joined by a NUL byte, keyed with `secret`, as base64url. */
export function keyedHash(secret: string, ...parts: string[]): string {
  let key = keys.get(secret)
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret))))
  return createHmac('sha256', key).update(parts.join('\0')).digest('base64url')
}

/** SHA-256 of a token, for storing bearer tokens without storing them. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}

/** Compares two secrets in constant time (hashing first so lengths never leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}
