import type { Db } from './open.ts'
import { randomId, sha256 } from '../lib/crypto.ts'

/** How long an admin sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000

/** Admin sessions: only a hash of each bearer token is stored, so a copied database grants nothing. */
export function createSessionStore(db: Db) {
  const q = {
    insert: db.prepare('INSERT INTO admin_sessions (token_hash, expires_at) VALUES (?, ?)'),
    get: db.prepare<[string], { expires_at: number }>('SELECT expires_at FROM admin_sessions WHERE token_hash = ?'),
    remove: db.prepare('DELETE FROM admin_sessions WHERE token_hash = ?'),
    purge: db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?'),
  }
  return {
    /** Starts a session and returns its token and expiry (epoch ms). */
    open(now: number): { token: string; expiresAt: number } {
      q.purge.run(now)
      const token = randomId(32)
      const expiresAt = now + SESSION_TTL_MS
      q.insert.run(sha256(token), expiresAt)
      return { token, expiresAt }
    },
    /** Whether the token names a session that has not expired. */
    valid(token: string, now: number): boolean {
      const row = q.get.get(sha256(token))
      return row !== undefined && row.expires_at > now
    },
    /** Ends a session (sign-out). */
    close(token: string): void {
      q.remove.run(sha256(token))
    },
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>
