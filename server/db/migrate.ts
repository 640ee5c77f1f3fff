import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { writeTransaction, type Db } from './open.ts'

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

/** Applies every pending `NNN_name.sql` in order, each in a transaction; returns how many ran. */
export function migrate(db: Db, dir = MIGRATIONS_DIR): number {
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
  const current = db.pragma('user_version', { simple: true }) as number
  let applied = 0
  for (const file of files) {
    const version = Number(file.slice(0, 3))
    if (version <= current) continue
    const sql = readFileSync(dir + file, 'utf8')
    writeTransaction(db, () => {
      db.exec(sql)
      db.pragma(`user_version = ${version}`)
    })()
    applied++
  }
  return applied
}
