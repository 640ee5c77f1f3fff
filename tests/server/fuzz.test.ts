import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createTestApp, newVoter, streamOf } from './helpers.ts'
import { NO_LIMITS } from './security-helpers.ts'

/**
 * Hostile-input fuzzing through `app.request()`: thousands of generated requests against every
 * public route (and the admin API, with and without a token). A failure prints the seed and the
 * request; rerun with `FUZZ_SEED=<seed>` to reproduce it exactly.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20250601)
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 4000)

/** mulberry32: tiny, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!
  const chance = (p: number) => next() < p
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256))
  return { next, int, pick, chance, bytes }
}

type Rng = ReturnType<typeof prng>

interface Known {
  pollId: string
  optionIds: string[]
  commentId: number
  token: string
}

const ROUTES = [
  ['GET', '/api/polls/:id'],
  ['POST', '/api/polls/:id/votes'],
  ['GET', '/api/comments'],
  ['POST', '/api/comments'],
  ['PATCH', '/api/comments/:id'],
  ['DELETE', '/api/comments/:id'],
  ['PUT', '/api/comments/:id/like'],
  ['DELETE', '/api/comments/:id/like'],
  ['GET', '/api/counts'],
  ['POST', '/api/admin/session'],
  ['DELETE', '/api/admin/session'],
  ['GET', '/api/admin/polls'],
  ['POST', '/api/admin/polls'],
  ['PATCH', '/api/admin/polls/:id'],
  ['POST', '/api/admin/polls/:id/votes/readmit'],
  ['GET', '/api/admin/comments'],
  ['POST', '/api/admin/comments/:id/approve'],
  ['GET', '/api/admin/threads'],
  ['GET', '/healthz'],
  ['GET', '/'],
] as const

const ODD_SEGMENTS = [
  '0', '-1', '1e5', '99999999999999999999999999', '1.5', 'NaN', '%00', '%zz', '%', '%%', '%C0%AE%C0%AE', '%ED%A0%80',
  '%FF%FE', '..', '.', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '..%5C..%5C', '%2F', 'a'.repeat(3000), 'ti%E1%BA%BFng-vi%E1%BB%87t',
  '%F0%9F%92%A9', "'%3B%20DROP%20TABLE%20polls%3B--", '%20', '%0d%0aX-Injected:%201', '%3Cscript%3E', '__proto__', 'constructor',
  '~', ';', '%3B', '*', '[]', '%5B%5D', '\\', 'null', 'undefined', ' ',
]

const ODD_STRINGS = [
  '', ' ', '\u0000', '\ud800', '\udfff\ud800', 'a\u0301', '\u202e', '\ufeff', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE votes; --", '𝕍𝕠𝕩𝕡𝕠𝕡', '😀'.repeat(3000), 'x'.repeat(20_000), '\r\n\r\n', 'javascript:alert(1)', '%00', '${7*7}', '{{7*7}}',
  '../../etc/passwd', 'Tiếng Việt có dấu', 'null', 'true', '1e999', '__proto__',
]

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=latin1', 'application/jsonp',
  'application/json-patch+json', 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', ';;;',
  'application/json\t', 'application/json; charset="utf-16"', '*/*', 'application/ json',
]

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'FOO', 'get', 'M-SEARCH', 'LINK']

/** Percent-encodes any string; a lone surrogate (which encodeURIComponent refuses) becomes invalid UTF-8 bytes. */
function encode(text: string): string {
  if (!/[\ud800-\udfff]/.test(text)) return encodeURIComponent(text)
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (ch) => (/^[\ud800-\udfff]$/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)))
}

function oddString(r: Rng): string {
  if (r.chance(0.3)) return Array.from({ length: r.int(40) }, () => String.fromCharCode(r.int(0x3000))).join('')
  return r.pick(ODD_STRINGS)
}

function deepJson(r: Rng): string {
  const depth = 100 + r.int(7000)
  return r.chance(0.5) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
}

/** A JSON value of any type, sometimes nested, never of the shape a route wants. */
function oddValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 6 : 9)) {
    case 0: return null
    case 1: return r.chance(0.5)
    case 2: return r.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MIN_VALUE, -0, 4294967296, 65536])
    case 3: return oddString(r)
    case 4: return r.int(100)
    case 5: return {}
    case 6: return Array.from({ length: r.int(5) }, () => oddValue(r, depth + 1))
    case 7: return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(['options', 'page', 'body', 'password', 'question', 'voteIds', 'all', '__proto__', 'a']), oddValue(r, depth + 1)]))
    default: return [oddValue(r, depth + 1)]
  }
}

/** A body that is almost what some route wants: right fields, often wrong values; mostly for `template`'s route. */
function nearValid(r: Rng, known: Known, template: string): unknown {
  const value = () => (r.chance(0.5) ? oddValue(r) : oddString(r))
  const shapes = {
    vote: () => ({ options: r.chance(0.6) ? [r.pick(known.optionIds)] : r.chance(0.5) ? Array.from({ length: r.int(60) }, () => r.pick(known.optionIds)) : [value(), value()] }),
    comment: () =>
      r.chance(0.5)
        ? { page: r.pick(['fuzz', 'fuzz-2', oddString(r)]), body: oddString(r), author: r.chance(0.5) ? oddString(r) : undefined, parentId: r.chance(0.2) ? known.commentId : undefined }
        : { page: value(), body: value(), author: value(), email: value(), parentId: r.pick([known.commentId, -1, 0, 1e308, '1', null]), formToken: value(), website: value() },
    login: () => ({ password: r.chance(0.3) ? ADMIN_PASSWORD : value() }),
    poll: () =>
      r.chance(0.5)
        ? { question: oddString(r), options: [oddString(r), oddString(r) + 'x'], dedupe: r.pick(['voter', 'voter+ip', 'ip']) }
        : { question: value(), options: [value(), value(), value()], multiple: value(), maxChoices: value(), opensAt: value(), closesAt: value(), dedupe: value(), maxVotesPerIp: value() },
    readmit: () => (r.chance(0.3) ? { all: true } : { voteIds: [value(), r.int(1000)], all: value() }),
    edit: () => ({ body: r.chance(0.5) ? oddString(r) : value() }),
  }
  const own = template.includes('readmit') ? shapes.readmit : template.includes('votes') ? shapes.vote : template.includes('session') ? shapes.login
    : template.includes('admin/polls') ? shapes.poll : template === '/api/comments' ? shapes.comment : template.includes('comments/') ? shapes.edit : null
  return (own && r.chance(0.7) ? own : r.pick(Object.values(shapes)))()
}

function body(r: Rng, known: Known, template: string, careful: boolean): BodyInit | undefined {
  if (careful) return JSON.stringify(nearValid(r, known, template))
  switch (r.int(12)) {
    case 0: return undefined
    case 1: return r.bytes(r.int(300))
    case 2: return Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, ...r.pick([[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]), 0x22, 0x7d])
    case 3: return deepJson(r)
    case 4: return r.pick(['1e99999', '-', '{"a":1,}', 'nul', '\ufeff{}', '{"options":["a"]}garbage', '{"__proto__":{"admin":true}}', '123456789012345678901234567890123456789', '"just a string"', '[]', '{}', '{"options":null}', ''])
    case 5: return JSON.stringify(oddValue(r))
    case 6: return streamOf(JSON.stringify(nearValid(r, known, template)) + (r.chance(0.3) ? ' '.repeat(20_000) : ''), 256 + r.int(4096))
    default: return JSON.stringify(nearValid(r, known, template))
  }
}

/**
 * A method and path: mostly a real route with its own method, sometimes any method on it. A
 * `careful` request keeps the route, method and id right so that its body reaches the handler.
 */
function target(r: Rng, known: Known, careful: boolean): [string, string, string] {
  const [routeMethod, template] = r.pick(ROUTES)
  const method = careful || r.chance(0.7) ? routeMethod : r.pick(METHODS)
  const id = () => {
    const roll = r.int(10)
    if (roll < (careful ? 9 : 5)) return template.includes('comments') ? String(known.commentId) : known.pollId
    if (roll < 8) return r.pick(ODD_SEGMENTS)
    return encode(oddString(r).slice(0, 500))
  }
  let p = template.replace(':id', id)
  if (careful) return [method, p, template]
  if (r.chance(0.05)) p = p.replace(/\//g, '//')
  if (r.chance(0.05)) p += '/'
  if (r.chance(0.03)) p = p.toUpperCase()
  if (r.chance(0.03)) p += '/../admin/polls'
  if (r.chance(0.03)) p = p.replace('/api/', `/api/${r.pick(ODD_SEGMENTS)}/`)
  if (r.chance(0.4)) {
    const keys = ['page', 'sort', 'cursor', 'limit', 'status', 'q', 'page', 'x']
    const parts = Array.from({ length: r.chance(0.1) ? 150 : r.int(5) }, () => {
      const value = r.chance(0.5) ? r.pick(ODD_SEGMENTS) : encode(oddString(r).slice(0, 300))
      return `${r.pick(keys)}=${value}`
    })
    p += `?${parts.join('&')}`
  }
  return [method, p, template]
}

function headers(r: Rng, known: Known, method: string, careful: boolean): Record<string, string> {
  const byte = () => String.fromCharCode(0x20 + r.int(0xdf))
  if (careful) return { 'Content-Type': 'application/json', 'X-Voxpop-Voter': newVoter(), Authorization: `Bearer ${known.token}` }
  const h: Record<string, string> = {}
  if (r.chance(0.9)) h['Content-Type'] = r.chance(0.8) ? 'application/json' : r.pick(CONTENT_TYPES)
  if (r.chance(0.8)) h['X-Voxpop-Voter'] = r.chance(0.7) ? newVoter() : r.pick(['', 'short', 'a'.repeat(5000), '../../x', 'Zm9v+/==', 'ö'.repeat(30)])
  if (r.chance(0.3)) h.Authorization = r.pick([`Bearer ${known.token}`, `Bearer ${known.token}`, 'Bearer', 'Bearer  ', `Basic ${known.token}`, 'Bearer ' + 'A'.repeat(300), known.token])
  if (r.chance(0.1)) h['X-Voxpop-Edit-Token'] = r.pick(['', 'x', `${known.commentId}.${'A'.repeat(40)}`, 'a.b.c'])
  if (r.chance(0.2)) h.Origin = r.pick(['https://evil.example', 'null', 'http://localhost', '', 'https://bao.example', 'file://'])
  if (r.chance(0.1)) h['X-Forwarded-For'] = r.pick(['1.2.3.4', 'garbage', ', , ,', '::1, 999.999.1.1', 'a'.repeat(1000)])
  if (r.chance(0.05)) h['If-None-Match'] = r.pick(['*', 'W/"x"', '"'])
  if (r.chance(0.05)) h['Accept-Encoding'] = r.pick(['br;q=x', '*', 'gzip, gzip, deflate'])
  if (r.chance(0.05)) h['Content-Encoding'] = r.pick(['gzip', 'br', 'identity', 'x'])
  if (r.chance(0.1)) h[r.pick(['X-Random', 'Cookie', 'Range', 'Expect', 'Transfer-Encoding', 'Access-Control-Request-Method'])] = Array.from({ length: r.int(50) }, byte).join('')
  if (method === 'OPTIONS' && r.chance(0.5)) h['Access-Control-Request-Method'] = r.pick(['POST', 'PUT', 'FOO'])
  return h
}

function describeRequest(method: string, url: string, h: Record<string, string>, b: BodyInit | undefined): string {
  const preview = typeof b === 'string' ? b.slice(0, 200) : b instanceof Uint8Array ? `<${b.length} bytes>` : b ? '<stream>' : '<none>'
  return `${method} ${url.slice(0, 300)} headers=${JSON.stringify(h).slice(0, 300)} body=${preview}`
}

describe('fuzzing every route with hostile requests', () => {
  it(`answers ${REQUESTS} generated requests without a 5xx, every error in the JSON envelope (seed ${SEED})`, async () => {
    const t = createTestApp({ env: { ...NO_LIMITS, VOXPOP_MODERATION: 'post' } })
    const poll = await t.createPoll({ resultsVisibility: 'always' })
    const form = (await (await t.request('/api/comments?page=fuzz')).json()) as { formToken: string }
    t.clock.advance(10_000)
    const posted = await t.send('POST', '/api/comments', { page: 'fuzz', body: 'Bình luận đầu tiên', formToken: form.formToken }, { 'X-Voxpop-Voter': newVoter() })
    expect(posted.status).toBe(201)
    const known: Known = {
      pollId: poll.id,
      optionIds: poll.options.map((o) => o.id),
      commentId: ((await posted.json()) as { comment: { id: number } }).comment.id,
      token: await t.signIn(),
    }

    const r = prng(SEED)
    const failures: string[] = []
    const statuses = new Map<number, number>()
    let sent = 0
    let unbuildable = 0
    let lastUnbuildable = ''
    const started = Date.now()
    for (let i = 0; i < REQUESTS; i++) {
      // Four in ten requests are well formed but for their values, so they get deep into the handlers.
      const careful = r.chance(0.4)
      const [method, p, template] = target(r, known, careful)
      const url = `http://localhost${p}`
      const h = headers(r, known, method, careful)
      const b = /^(get|head)$/i.test(method) ? undefined : body(r, known, template, careful)
      let request: Request
      try {
        request = new Request(url, { method, headers: h, body: b, duplex: 'half' } as RequestInit)
      } catch (error) {
        // The client refused to build it (e.g. a body on GET); no server would ever see it.
        unbuildable++
        lastUnbuildable = String(error)
        continue
      }
      const ip = r.pick(['203.0.113.5', '198.51.100.1', '::1', '2001:db8::1'])
      let res: Response
      try {
        res = await t.app.request(request, undefined, { incoming: { socket: { remoteAddress: ip } } })
      } catch (error) {
        failures.push(`threw ${String(error)}: ${describeRequest(method, url, h, b)}`)
        continue
      }
      sent++
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      const text = await res.text()
      const what = () => `${res.status} ${text.slice(0, 200)} <- ${describeRequest(method, url, h, b)}`
      if (res.status >= 500) failures.push(what())
      else if (res.status >= 400 && request.method !== 'HEAD') {
        let ok = /^application\/json/.test(res.headers.get('content-type') ?? '')
        try {
          const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
          ok &&= typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string' && parsed.error.message.length > 0
        } catch {
          ok = false
        }
        if (!ok) failures.push(`not the error envelope: ${what()}`)
      }
      // A fuzzed sign-out ends the session; sign in again so admin routes keep being reached.
      if (request.method === 'DELETE' && template === '/api/admin/session' && res.status === 204) known.token = (await (await t.send('POST', '/api/admin/session', { password: ADMIN_PASSWORD })).json() as { token: string }).token
    }
    const summary = `seed ${SEED}: ${sent} sent, ${unbuildable} unbuildable (${lastUnbuildable}), ${Date.now() - started} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}`
    console.log(`[fuzz] ${summary}`)
    expect(failures.slice(0, 10), summary).toEqual([])
    expect(sent).toBeGreaterThan(REQUESTS * 0.9)
    // Enough of the requests got past the guards to reach the routes themselves.
    expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThan(1)
    expect((statuses.get(201) ?? 0) + (statuses.get(200) ?? 0)).toBeGreaterThan(REQUESTS * 0.05)

    // Still answering normally afterwards.
    expect((await t.request('/healthz')).status).toBe(200)
    // The helper's cached session may have been signed out by a fuzzed DELETE: sign in anew.
    const signedIn = await t.send('POST', '/api/admin/session', { password: ADMIN_PASSWORD })
    const { token } = (await signedIn.json()) as { token: string }
    const created = await t.send('POST', '/api/admin/polls', { question: 'Sau cơn bão?', options: ['Ổn', 'Chưa ổn'] }, { Authorization: `Bearer ${token}` })
    expect(created.status).toBe(201)
    const fresh = (await created.json()) as { id: string; options: { id: string }[] }
    expect((await t.vote(fresh.id, newVoter(), [fresh.options[0]!.id])).status).toBe(201)
    expect((await t.viewPoll(fresh.id)).myVote).toBeNull()
  }, 60_000)
})
