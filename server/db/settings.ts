import type { Db } from './open.ts'
import { randomId } from '../lib/crypto.ts'

/** The hashing key: VOXPOP_SECRET when given, else one generated once and kept in the database. */
export function resolveSecret(db: Db, fromEnv: string | null): string {
  if (fromEnv !== null) return fromEnv
  const row = db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'secret'").get()
  if (row) return row.value
  const secret = randomId(32)
  db.prepare("INSERT INTO settings (key, value) VALUES ('secret', ?)").run(secret)
  return secret
}
