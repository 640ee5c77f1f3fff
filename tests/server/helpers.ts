import { randomBytes } from 'node:crypto'
import { expect, onTestFinished } from 'vitest'
import { createService } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { migrate } from '../../server/db/migrate.ts'
import { openDatabase, type Db } from '../../server/db/open.ts'
import type { Assets } from '../../server/lib/assets.ts'
import type { AdminPollView, PollView } from '../../server/types.ts'

/** The admin password every test app is configured with. */
export const ADMIN_PASSWORD = 'correct horse battery staple'
/** The hashing key of every test app. */
export const SECRET = 'test-secret-0123456789abcdef'
/** The socket address test requests come from (TEST-NET-3, never a real reader). */
export const CLIENT_IP = '203.0.113.5'
/** A fixed starting time for the fake clock: 2025-06-01T08:00:00Z. */
export const T0 = Date.parse('2025-06-01T08:00:00.000Z')
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** A JSON body in any of the shapes `fetch` accepts. */
export type Body = NonNullable<RequestInit['body']>

/** A fresh reader token: 128 random bits as base64url (22 characters), as the widget makes. */
export function newVoter(): string {
  return randomBytes(16).toString('base64url')
}

/** A fake clock for `deps.now`: tests move time by hand. */
export function createClock(start = T0) {
  let t = start
  return {
    now: () => t,
    set: (ms: number) => {
      t = ms
    },
    advance: (ms: number) => {
      t += ms
    },
  }
}

export type Clock = ReturnType<typeof createClock>

/** Options for a test app: an existing database (default a fresh migrated `:memory:` one) and extra env. */
export interface TestAppOptions {
  db?: Db
  clock?: Clock
  secret?: string
  env?: NodeJS.ProcessEnv
  /** Static files to serve (none by default). */
  assets?: Assets
  /** Fail the current test when the app logs an unexpected (500) error; off outside a test (e.g. in `beforeAll`). */
  watchErrors?: boolean
}

/** Opens a fresh `:memory:` database with every migration applied. */
export function freshDb(): Db {
  const db = openDatabase(':memory:')
  migrate(db)
  return db
}

/** A voxpop app on its own database, with a fake clock and helpers that talk to it through `app.request()`. */
export function createTestApp(options: TestAppOptions = {}) {
  const db = options.db ?? freshDb()
  const clock = options.clock ?? createClock()
  const config = loadConfig({ VOXPOP_DB: ':memory:', VOXPOP_ADMIN_PASSWORD: ADMIN_PASSWORD, ...options.env })
  const secret = options.secret ?? SECRET
  const errors: string[] = []
  const service = createService({ db, config, secret, assets: options.assets, now: clock.now, log: (message, detail) => errors.push(`${message}: ${String(detail)}`) })
  const { app } = service
  // No input from outside may produce a 500: any logged failure fails the test that caused it.
  if (options.watchErrors ?? true) onTestFinished(() => expect(errors).toEqual([]))
  let adminToken: string | null = null

  /** Sends a request as if from `CLIENT_IP` (or `ip`) through Hono's in-process `app.request()`. */
  function request(path: string, init: RequestInit = {}, ip = CLIENT_IP): Promise<Response> {
    return Promise.resolve(app.request(path, init, { incoming: { socket: { remoteAddress: ip } } }))
  }

  /** Sends `body` (an object is JSON-encoded) as `application/json` unless the headers say otherwise. */
  function send(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return request(path, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  }

  /** Signs in once and caches the bearer token. */
  async function signIn(): Promise<string> {
    if (adminToken) return adminToken
    const res = await send('POST', '/api/admin/session', { password: ADMIN_PASSWORD })
    expect(res.status).toBe(200)
    adminToken = ((await res.json()) as { token: string }).token
    return adminToken
  }

  /** A request to an admin route with a valid bearer token. */
  async function admin(method: string, path: string, body?: unknown): Promise<Response> {
    const auth = { Authorization: `Bearer ${await signIn()}` }
    if (body === undefined) return request(path, { method, headers: auth })
    return send(method, path, body, auth)
  }

  /** Creates a poll through the admin API (two options by default) and returns its admin view. */
  async function createPoll(input: Record<string, unknown> = {}): Promise<AdminPollView> {
    const res = await admin('POST', '/api/admin/polls', { question: 'Bạn đọc tin bằng gì?', options: ['Điện thoại', 'Máy tính'], ...input })
    if (res.status !== 201) throw new Error(`poll not created: ${res.status} ${await res.text()}`)
    return (await res.json()) as AdminPollView
  }

  /** Reads a poll as a reader (with a voter token when given). */
  function getPoll(pollId: string, voter?: string): Promise<Response> {
    return request(`/api/polls/${pollId}`, voter ? { headers: { 'X-Voxpop-Voter': voter } } : {})
  }

  /** Reads a poll's public view and expects 200. */
  async function viewPoll(pollId: string, voter?: string): Promise<PollView> {
    const res = await getPoll(pollId, voter)
    expect(res.status).toBe(200)
    return (await res.json()) as PollView
  }

  /** Casts a ballot for `options` as `voter`. */
  function vote(pollId: string, voter: string, options: string[], ip = CLIENT_IP): Promise<Response> {
    return request(
      `/api/polls/${pollId}/votes`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Voxpop-Voter': voter }, body: JSON.stringify({ options }) },
      ip,
    )
  }

  /** Casts a ballot as a new reader and expects it to be counted. */
  async function voteAsNewReader(pollId: string, options: string[]): Promise<PollView> {
    const res = await vote(pollId, newVoter(), options)
    if (res.status !== 201) throw new Error(`vote refused: ${res.status} ${await res.text()}`)
    return (await res.json()) as PollView
  }

  /** The admin view of a poll. */
  async function adminView(pollId: string): Promise<AdminPollView> {
    const res = await admin('GET', `/api/admin/polls/${pollId}`)
    expect(res.status).toBe(200)
    return (await res.json()) as AdminPollView
  }

  return { app, service, db, clock, errors, request, send, signIn, admin, createPoll, getPoll, viewPoll, vote, voteAsNewReader, adminView }
}

export type TestApp = ReturnType<typeof createTestApp>

/** Expects `res` to be an error with this status and code, in exactly the `{error:{code,message}}` envelope. */
export async function expectError(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  const text = await res.text()
  expect({ status: res.status, body: text }).toMatchObject({ status })
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = JSON.parse(text) as { error: { code: string; message: string } }
  expect(body.error.code).toBe(code)
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message'])
  expect(typeof body.error.message).toBe('string')
  expect(body.error.message.length).toBeGreaterThan(0)
  if (code === 'already_voted') expect(Object.keys(body).sort()).toEqual(['error', 'poll'])
  else expect(Object.keys(body)).toEqual(['error'])
  return body
}

/** Splits a string's UTF-8 bytes into a stream of `chunkSize`-byte chunks, with no Content-Length. */
export function streamOf(text: string, chunkSize = 4096): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  let offset = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + chunkSize))
      offset += chunkSize
    },
  })
}

/** A vote body of exactly `size` bytes: valid JSON padded with spaces. */
export function paddedVoteBody(optionIds: string[], size: number): string {
  const json = JSON.stringify({ options: optionIds })
  if (json.length > size) throw new Error('size too small for this body')
  return json.slice(0, -1) + ' '.repeat(size - json.length) + '}'
}

/** Every value in every table of the database, as strings, with where it was found. */
export function everyStoredValue(db: Db): { table: string; column: string; value: string }[] {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all()
  const found: { table: string; column: string; value: string }[] = []
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        found.push({ table: name, column, value: Buffer.isBuffer(value) ? value.toString('latin1') : String(value) })
      }
    }
  }
  return found
}
