import type { Context } from 'hono'
import type { Db } from '../db/open.ts'
import type { Encoding } from '../middleware/compress.ts'
import { etagOf } from '../middleware/http-cache.ts'

/** How long a shared answer may be served from memory without being rebuilt, at most (ms). */
export const ANSWER_TTL_MS = 1000
/** How often another process's writes are looked for (ms): its commits show within this time. */
export const OTHER_WRITERS_CHECK_MS = 100
/** Most answers kept; the oldest goes first. */
const MAX_ANSWERS = 500

/** A JSON answer every reader without a token gets alike, ready to send again. */
export interface CachedAnswer {
  text: string
  /** The ETag http-cache would give it. */
  etag: string
  cacheControl: string
  /** The request header it depends on besides Origin and Accept-Encoding (as http-cache announces it), if any. */
  vary: string | null
  /** Encoded copies (UTF-8 as is, or compressed), made the first time a client asks for one. */
  encoded: Partial<Record<Encoding | 'identity', Uint8Array<ArrayBuffer>>>
}

interface Entry extends CachedAnswer {
  version: string
  expires: number
}

export interface RememberOptions<T> {
  cacheControl: (value: T) => string
  vary?: string
  /** What of the JSON text names the answer for its ETag (see http-cache's `etagSource`). */
  etagSource?: (text: string) => string
  /** A moment (epoch ms) the answer changes by itself before its time is up, e.g. a poll closing; asked after `build`. */
  until?: () => number | null
}

/**
 * What has changed in the database, as a cheap token: `total_changes()` moves when this
 * connection writes (0.1 µs to ask), `PRAGMA data_version` when another connection (another
 * process) commits — 6.5 µs to ask, as it takes a read lock, so it is asked at most every
 * OTHER_WRITERS_CHECK_MS. Equal tokens mean nothing was written in between, so an answer built
 * from the data is still the answer.
 */
export function createChangeToken(db: Db, now: () => number): () => string {
  const dataVersion = db.prepare('PRAGMA data_version').pluck()
  const totalChanges = db.prepare('SELECT total_changes()').pluck()
  let others = 0
  let checkedAt = -Infinity
  return () => {
    const at = now()
    if (at - checkedAt >= OTHER_WRITERS_CHECK_MS || at < checkedAt) {
      others = dataVersion.get() as number
      checkedAt = at
    }
    return `${others}.${totalChanges.get() as number}`
  }
}

/**
 * Wraps a read by key so that its result is reused until the next write to the database (the
 * change token moves): e.g. a poll's record, read for every ballot, is read once per batch.
 */
export function memoUntilChange<T>(changeToken: () => string, read: (key: string) => T, max = 1000): (key: string) => T {
  const memo = new Map<string, { version: string; value: T }>()
  return (key) => {
    const version = changeToken()
    const kept = memo.get(key)
    if (kept && kept.version === version) return kept.value
    const value = read(key)
    if (memo.size >= max) memo.clear()
    memo.set(key, { version, value })
    return value
  }
}

/** The key of a request's answer: its path and query string, exactly as sent. */
export function answerKey(c: Context): string {
  const url = c.req.url
  return url.slice(url.indexOf('/', url.indexOf('//') + 2))
}

/**
 * Answers that every reader without a token gets alike (a poll, a thread's first page, comment
 * counts), kept in memory so a spike on one article costs one query per write or per second, not
 * one per request. An answer is dropped as soon as anything is written to the database, and after
 * `ttlMs` regardless (poll status and form tokens move with the clock).
 */
export function createAnswerCache(changeToken: () => string, now: () => number, ttlMs = ANSWER_TTL_MS) {
  const entries = new Map<string, Entry>()
  return {
    /** The answer kept under `key`, if nothing has changed since it was built. */
    get(key: string): CachedAnswer | undefined {
      const entry = entries.get(key)
      if (!entry) return undefined
      if (entry.expires > now() && entry.version === changeToken()) return entry
      entries.delete(key)
      return undefined
    },
    /**
     * Builds the answer (synchronously: the change token is read first, so a write that lands
     * while building makes the entry stale at once) and keeps it.
     */
    remember<T>(key: string, build: () => T, options: RememberOptions<T>): CachedAnswer {
      const version = changeToken()
      const value = build()
      const text = JSON.stringify(value)
      const entry: Entry = {
        text,
        etag: etagOf(options.etagSource ? options.etagSource(text) : text),
        cacheControl: options.cacheControl(value),
        vary: options.vary ?? null,
        encoded: {},
        version,
        expires: Math.min(now() + ttlMs, options.until?.() ?? Infinity),
      }
      if (entries.size >= MAX_ANSWERS) entries.delete(entries.keys().next().value!)
      entries.set(key, entry)
      return entry
    },
  }
}

export type AnswerCache = ReturnType<typeof createAnswerCache>

/** Sends a remembered answer through the middleware: its JSON text as it was, its ETag and `Cache-Control`. */
export function sendAnswer(c: Context, answer: CachedAnswer): Response {
  c.header('ETag', answer.etag)
  c.header('Cache-Control', answer.cacheControl)
  return c.body(answer.text, 200, { 'Content-Type': 'application/json' })
}
