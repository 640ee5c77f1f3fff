import { serve, type ServerType } from '@hono/node-server'
import { parse } from 'csv-parse/sync'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../server/db/open.ts'
import type { AdminPollView } from '../../server/types.ts'
import { CLIENT_IP, createTestApp, expectError, newVoter, T0, type TestApp } from './helpers.ts'

const BOM = [0xef, 0xbb, 0xbf]

/** Wall-clock time written as `YYYY-MM-DD HH:mm:ss` by Intl's Swedish format, independently of the server's code. */
function localTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(ms)
}

/** What a spreadsheet-safe cell holds for a stored text: `'` before a leading = + - @ tab or CR. */
const neutralised = (text: string | null) => (text === null ? '' : /^[=+\-@\t\r]/.test(text) ? `'${text}` : text)

/** An export's raw bytes, checked for the BOM and CRLF records, parsed by csv-parse into header and rows. */
async function readCsv(res: Response): Promise<{ header: string[]; rows: string[][]; text: string }> {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  const bytes = new Uint8Array(await res.arrayBuffer())
  expect([...bytes.subarray(0, 3)]).toEqual(BOM)
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  expect(text.startsWith('\uFEFF')).toBe(true)
  expect(text.endsWith('\r\n')).toBe(true)
  expect(text).not.toMatch(/^sep=/)
  // Only CRLF ends a record: with LF line endings the parse below would find one long record.
  const records = parse(Buffer.from(bytes), { bom: true, record_delimiter: '\r\n' }) as string[][]
  const [header, ...rows] = records
  for (const row of rows) expect(row).toHaveLength(header!.length)
  return { header: header!, rows, text }
}

/** Stores a thread and returns its id. */
function insertThread(db: Db, page: string, title: string | null, url: string | null = null): number {
  return Number(
    db.prepare('INSERT INTO threads (page, title, url, created_at) VALUES (?, ?, ?, ?)').run(page, title, url, T0).lastInsertRowid,
  )
}

interface NewComment {
  threadId: number
  parentId?: number | null
  author: string | null
  body: string
  status: string
  likes?: number
  at: number
}

/** Stores a comment directly (the export must show whatever is stored) and returns its id. */
function insertComment(db: Db, c: NewComment): number {
  return Number(
    db
      .prepare(
        `INSERT INTO comments (thread_id, parent_id, author, email, body, status, voter_hash, ip_hash, likes, body_hash, created_at)
         VALUES (?, ?, ?, 'ban.doc@example.vn', ?, ?, 'vh', 'ih', ?, 'bh', ?)`,
      )
      .run(c.threadId, c.parentId ?? null, c.author, c.body, c.status, c.likes ?? 0, c.at).lastInsertRowid,
  )
}

/** Stores `count` ballots in one transaction, `at(i)` giving each one's time. */
function insertVotes(db: Db, poll: AdminPollView, count: number, at: (i: number) => number) {
  const stmt = db.prepare(
    `INSERT INTO votes (poll_id, voter_hash, ip_hash, option_ids, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  )
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const option = poll.options[i % poll.options.length]!.id
      stmt.run(poll.id, `voter-${i}`, `ip-${i % 97}`, JSON.stringify([option]), i % 10 === 0 ? 'flagged' : 'counted', at(i))
    }
  })()
}

function fileName(res: Response): { ascii: string; unicode: string } {
  const header = res.headers.get('content-disposition') ?? ''
  const m = /^attachment; filename="([^"]+)"; filename\*=UTF-8''(\S+)$/.exec(header)
  expect(m, header).not.toBeNull()
  return { ascii: m![1]!, unicode: decodeURIComponent(m![2]!) }
}

async function pollWithVotes(t: TestApp) {
  const poll = await t.createPoll({
    question: 'Bạn đọc tin tức bằng thiết bị nào, "mỗi ngày"?',
    options: ['Điện thoại', 'Máy tính, laptop', '=1+1', '-Báo in', '@Tivi'],
    multiple: true,
    maxChoices: 3,
    maxVotesPerIp: 4,
    resultsVisibility: 'always',
  })
  const [phone, laptop, formula, paper, tv] = poll.options.map((o) => o.id)
  const ballots = [[phone!], [laptop!, phone!], [formula!, paper!, tv!], [phone!], [laptop!], [paper!]]
  for (const [i, ballot] of ballots.entries()) {
    t.clock.advance(37_000 * (i + 1))
    const res = await t.vote(poll.id, newVoter(), ballot!)
    expect(res.status).toBe(201)
  }
  return { poll: await t.adminView(poll.id) }
}

describe('GET /api/admin/polls/:id/results.csv', () => {
  it('has one row per option in display order, as stored, then total_votes and total_voters', async () => {
    const t = createTestApp()
    const { poll } = await pollWithVotes(t)
    const { header, rows } = await readCsv(await t.admin('GET', `/api/admin/polls/${poll.id}/results.csv`))
    expect(header).toEqual(['poll_id', 'question', 'option_id', 'option', 'votes', 'percent'])
    const stored = t.db
      .prepare('SELECT id, label, votes FROM poll_options WHERE poll_id = ? ORDER BY position')
      .all(poll.id) as { id: string; label: string; votes: number }[]
    const totals = t.db.prepare('SELECT total_votes, total_voters, flagged_votes FROM polls WHERE id = ?').get(poll.id) as {
      total_votes: number
      total_voters: number
      flagged_votes: number
    }
    expect(totals.flagged_votes).toBe(2)
    expect(rows).toHaveLength(stored.length + 2)
    stored.forEach((o, i) => {
      const percent = poll.results.options[i]!.percent
      expect(rows[i]).toEqual([neutralised(poll.id), poll.question, neutralised(o.id), neutralised(o.label), String(o.votes), String(percent)])
    })
    expect(rows.slice(0, stored.length).reduce((sum, r) => sum + Number(r[5]), 0)).toBe(100)
    expect(rows[stored.length]).toEqual([neutralised(poll.id), poll.question, '', 'total_votes', String(totals.total_votes), ''])
    expect(rows[stored.length + 1]).toEqual([neutralised(poll.id), poll.question, '', 'total_voters', String(totals.total_voters), ''])
    expect(totals.total_votes).toBe(7)
    expect(totals.total_voters).toBe(4)
  })

  it('names the file after the poll and the date, in ASCII and in full', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ question: 'Đường sắt tốc độ cao: ủng hộ?' })
    const res = await t.admin('GET', `/api/admin/polls/${poll.id}/results.csv`)
    expect(fileName(res)).toEqual({
      ascii: 'duong-sat-toc-do-cao-ung-ho-results-2025-06-01.csv',
      unicode: 'đường-sắt-tốc-độ-cao-ủng-hộ-results-2025-06-01.csv',
    })
    expect(res.headers.get('cache-control')).toBe('no-store')
    await res.arrayBuffer()
  })

  it('answers 404 poll_not_found for an unknown poll', async () => {
    const t = createTestApp()
    await expectError(await t.admin('GET', '/api/admin/polls/nope/results.csv'), 404, 'poll_not_found')
  })
})

describe('GET /api/admin/polls/:id/votes.csv', () => {
  it('has one row per stored ballot, every value equal to the database', async () => {
    const t = createTestApp()
    const { poll } = await pollWithVotes(t)
    const { header, rows } = await readCsv(await t.admin('GET', `/api/admin/polls/${poll.id}/votes.csv`))
    expect(header).toEqual([
      'vote_id', 'created_at_utc', 'created_at_local (Asia/Ho_Chi_Minh)', 'options', 'status', 'voter_hash', 'ip_hash',
    ])
    const labels = new Map(poll.options.map((o) => [o.id, o.label]))
    const order = poll.options.map((o) => o.id)
    const stored = t.db
      .prepare('SELECT id, created_at, option_ids, status, voter_hash, ip_hash FROM votes WHERE poll_id = ? ORDER BY id')
      .all(poll.id) as { id: number; created_at: number; option_ids: string; status: string; voter_hash: string; ip_hash: string }[]
    expect(stored).toHaveLength(6)
    expect(rows).toHaveLength(stored.length)
    stored.forEach((v, i) => {
      const chosen = (JSON.parse(v.option_ids) as string[]).sort((a, b) => order.indexOf(a) - order.indexOf(b))
      expect(rows[i]).toEqual([
        String(v.id),
        new Date(v.created_at).toISOString(),
        localTime(v.created_at, 'Asia/Ho_Chi_Minh'),
        neutralised(chosen.map((id) => labels.get(id)).join('; ')),
        v.status,
        // base64url hashes may start with '-', and get the same ' as any other cell would.
        neutralised(v.voter_hash),
        neutralised(v.ip_hash),
      ])
    })
    expect(rows.map((r) => r[4])).toEqual(['counted', 'counted', 'counted', 'counted', 'flagged', 'flagged'])
    expect(rows[1]![3]).toBe('Điện thoại; Máy tính, laptop')
    expect(rows[2]![3]).toBe("'=1+1; -Báo in; @Tivi")
    expect(rows[0]![2]).toBe('2025-06-01 15:00:37')
    expect(rows.join()).not.toContain(CLIENT_IP)
  })

  it('writes local times in VOXPOP_TIMEZONE, named in the header, across a daylight-saving change', async () => {
    const t = createTestApp({ env: { VOXPOP_TIMEZONE: 'America/New_York' } })
    const poll = await t.createPoll()
    const times = [Date.parse('2025-03-09T06:59:59Z'), Date.parse('2025-03-09T07:00:00Z'), Date.parse('2025-11-02T05:30:00Z')]
    insertVotes(t.db, poll, times.length, (i) => times[i]!)
    const { header, rows } = await readCsv(await t.admin('GET', `/api/admin/polls/${poll.id}/votes.csv`))
    expect(header[2]).toBe('created_at_local (America/New_York)')
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['2025-03-09T06:59:59.000Z', '2025-03-09 01:59:59'],
      ['2025-03-09T07:00:00.000Z', '2025-03-09 03:00:00'],
      ['2025-11-02T05:30:00.000Z', '2025-11-02 01:30:00'],
    ])
  })

  it("gives a stored hash that starts with '-' the same ' as any other cell", async () => {
    const t = createTestApp()
    const poll = await t.createPoll()
    t.db
      .prepare(`INSERT INTO votes (poll_id, voter_hash, ip_hash, option_ids, status, created_at) VALUES (?, '-voter', '=ip', ?, 'counted', ?)`)
      .run(poll.id, JSON.stringify([poll.options[0]!.id]), T0)
    const { rows } = await readCsv(await t.admin('GET', `/api/admin/polls/${poll.id}/votes.csv`))
    expect(rows[0]!.slice(5)).toEqual(["'-voter", "'=ip"])
  })

  it('exports every ballot exactly once across chunks, even when thousands share one timestamp', async () => {
    const t = createTestApp()
    const poll = await t.createPoll({ maxVotesPerIp: 1_000_000 })
    insertVotes(t.db, poll, 2_500, (i) => T0 + Math.floor(i / 1_200) * 1000)
    const { rows } = await readCsv(await t.admin('GET', `/api/admin/polls/${poll.id}/votes.csv`))
    const ids = rows.map((r) => Number(r[0]))
    expect(ids).toHaveLength(2_500)
    expect(new Set(ids).size).toBe(2_500)
    const stored = t.db.prepare('SELECT id FROM votes WHERE poll_id = ? ORDER BY created_at, id').all(poll.id) as { id: number }[]
    expect(ids).toEqual(stored.map((v) => v.id))
  })

  it('has only the header for a poll without votes, and no ballots of other polls', async () => {
    const t = createTestApp()
    const empty = await t.createPoll()
    const other = await t.createPoll({ question: 'Khác?' })
    insertVotes(t.db, other, 5, () => T0)
    const { rows, text } = await readCsv(await t.admin('GET', `/api/admin/polls/${empty.id}/votes.csv`))
    expect(rows).toEqual([])
    expect(text).toBe('\uFEFFvote_id,created_at_utc,created_at_local (Asia/Ho_Chi_Minh),options,status,voter_hash,ip_hash\r\n')
  })

  it('answers 404 poll_not_found for an unknown poll', async () => {
    const t = createTestApp()
    await expectError(await t.admin('GET', '/api/admin/polls/nope/votes.csv'), 404, 'poll_not_found')
  })
})

describe('GET /api/admin/comments.csv', () => {
  function seedComments(t: TestApp) {
    const article = insertThread(t.db, 'bai-viet-123', 'Giá xăng tăng: "người dân" lo lắng, doanh nghiệp chờ', 'https://bao.example/bai-viet/123')
    const other = insertThread(t.db, 'bai-viet-456', null)
    const ids: number[] = []
    const add = (c: Omit<NewComment, 'at'>) => ids.push(insertComment(t.db, { ...c, at: T0 + ids.length * 61_000 }))
    add({ threadId: article, author: 'Nguyễn Văn An', body: 'Tôi nói: "giá cao quá", thật đấy,\nvà dòng thứ hai\r\nvà dòng ba', status: 'approved', likes: 7 })
    add({ threadId: article, parentId: ids[0], author: '=HYPERLINK("http://evil.example","bấm vào")', body: '+1', status: 'pending' })
    add({ threadId: article, author: '+1', body: '-2 điểm', status: 'rejected' })
    add({ threadId: article, author: '-2', body: '@x chào', status: 'spam' })
    add({ threadId: other, author: '@x', body: '\tTab đầu dòng', status: 'approved' })
    add({ threadId: other, author: null, body: 'Ẩn danh: tiếng Việt có dấu — ổn chứ?', status: 'pending' })
    add({ threadId: other, author: '\rCR', body: 'bình thường', status: 'approved' })
    return { ids, article, other }
  }

  function expectedRows(t: TestApp, where: string, ...params: unknown[]): string[][] {
    const stored = t.db
      .prepare(
        `SELECT c.id, t.page, t.title, c.parent_id, c.author, c.body, c.status, c.likes, c.created_at
         FROM comments c JOIN threads t ON t.id = c.thread_id WHERE ${where} ORDER BY c.id`,
      )
      .all(...params) as {
      id: number
      page: string
      title: string | null
      parent_id: number | null
      author: string | null
      body: string
      status: string
      likes: number
      created_at: number
    }[]
    return stored.map((c) => [
      String(c.id),
      neutralised(c.page),
      neutralised(c.title),
      c.parent_id === null ? '' : String(c.parent_id),
      neutralised(c.author),
      neutralised(c.body),
      c.status,
      String(c.likes),
      new Date(c.created_at).toISOString(),
      localTime(c.created_at, 'Asia/Ho_Chi_Minh'),
    ])
  }

  it('has every comment with its thread, every value equal to the database', async () => {
    const t = createTestApp()
    seedComments(t)
    const { header, rows } = await readCsv(await t.admin('GET', '/api/admin/comments.csv'))
    expect(header).toEqual([
      'comment_id', 'page', 'page_title', 'parent_id', 'author', 'body', 'status', 'likes', 'created_at_utc',
      'created_at_local (Asia/Ho_Chi_Minh)',
    ])
    const expected = expectedRows(t, '1')
    expect(expected).toHaveLength(7)
    expect(rows).toEqual(expected)
  })

  it('keeps quotes, commas, line breaks and Vietnamese text intact', async () => {
    const t = createTestApp()
    const { ids } = seedComments(t)
    const { rows } = await readCsv(await t.admin('GET', '/api/admin/comments.csv'))
    const first = rows.find((r) => r[0] === String(ids[0]))!
    expect(first[5]).toBe('Tôi nói: "giá cao quá", thật đấy,\nvà dòng thứ hai\r\nvà dòng ba')
    expect(first[2]).toBe('Giá xăng tăng: "người dân" lo lắng, doanh nghiệp chờ')
    expect(first[4]).toBe('Nguyễn Văn An')
    expect(rows.find((r) => r[0] === String(ids[5]))![5]).toBe('Ẩn danh: tiếng Việt có dấu — ổn chứ?')
  })

  it("neutralises formula-like cells with a leading ' so a spreadsheet shows them as text", async () => {
    const t = createTestApp()
    const { ids } = seedComments(t)
    const { rows } = await readCsv(await t.admin('GET', '/api/admin/comments.csv'))
    const byId = (i: number) => rows.find((r) => r[0] === String(ids[i]))!
    expect(byId(1)[4]).toBe(`'=HYPERLINK("http://evil.example","bấm vào")`)
    expect(byId(1)[5]).toBe("'+1")
    expect(byId(2)[4]).toBe("'+1")
    expect(byId(2)[5]).toBe("'-2 điểm")
    expect(byId(3)[4]).toBe("'-2")
    expect(byId(3)[5]).toBe("'@x chào")
    expect(byId(4)[4]).toBe("'@x")
    expect(byId(4)[5]).toBe("'\tTab đầu dòng")
    expect(byId(6)[4]).toBe("'\rCR")
    expect(byId(5)[4]).toBe('')
  })

  it('filters by status and by page, with the filters in the file name', async () => {
    const t = createTestApp()
    const { article } = seedComments(t)
    const pending = await t.admin('GET', '/api/admin/comments.csv?status=pending')
    expect(fileName(pending).ascii).toBe('comments-pending-2025-06-01.csv')
    expect((await readCsv(pending)).rows).toEqual(expectedRows(t, "c.status = 'pending'"))
    const approvedHere = await t.admin('GET', '/api/admin/comments.csv?status=approved&page=bai-viet-123')
    expect(fileName(approvedHere).ascii).toBe('comments-approved-bai-viet-123-2025-06-01.csv')
    const rows = (await readCsv(approvedHere)).rows
    expect(rows).toEqual(expectedRows(t, "c.status = 'approved' AND c.thread_id = ?", article))
    expect(rows).toHaveLength(1)
    const all = await readCsv(await t.admin('GET', '/api/admin/comments.csv?status=all&page=bai-viet-456'))
    expect(all.rows).toHaveLength(3)
    const unknown = await readCsv(await t.admin('GET', '/api/admin/comments.csv?page=khong-co'))
    expect(unknown.rows).toEqual([])
  })

  it('answers 400 invalid_request to an unknown status', async () => {
    const t = createTestApp()
    await expectError(await t.admin('GET', '/api/admin/comments.csv?status=published'), 400, 'invalid_request')
  })
})

describe('a large export over a real listening server', () => {
  const VOTES = 200_000
  let t: TestApp
  let poll: AdminPollView
  let token: string
  let server: ServerType
  let base: string

  /** V8's collector, so heap figures show live data rather than garbage not yet collected. */
  function collector(): () => void {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  }

  function exportVotes(): Promise<Response> {
    return fetch(`${base}/api/admin/polls/${poll.id}/votes.csv`, { headers: { Authorization: `Bearer ${token}` } })
  }

  beforeAll(async () => {
    t = createTestApp({ watchErrors: false })
    poll = await t.createPoll({ question: 'Cuộc thăm dò rất lớn', options: ['Có', 'Không', 'Chưa biết'], maxVotesPerIp: 1_000_000 })
    const ids = poll.options.map((o) => o.id)
    // One INSERT … SELECT over a counter: 200 000 ballots in one transaction, in well under a second.
    t.db.transaction(() =>
      t.db
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
           INSERT INTO votes (poll_id, voter_hash, ip_hash, option_ids, status, created_at)
           SELECT ?, 'voter-hash-' || i || '-0123456789abcdef0123456789', 'ip-hash-' || (i % 997) || '-0123456789abcdef0123456789',
             json_array(CASE i % 3 WHEN 0 THEN ? WHEN 1 THEN ? ELSE ? END),
             CASE WHEN i % 10 = 0 THEN 'flagged' ELSE 'counted' END, ? + i * 500
           FROM n`,
        )
        .run(VOTES, poll.id, ids[0], ids[1], ids[2], T0),
    )()
    token = await t.signIn()
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port))
    })
    base = `http://127.0.0.1:${port}`
  }, 60_000)

  afterAll(async () => {
    ;(server as Server).closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    expect(t.errors).toEqual([])
  })

  it('sends the first bytes long before the last, with the heap nowhere near the export size', async () => {
    const gc = collector()
    gc()
    const before = process.memoryUsage()
    const baseline = before.heapUsed + before.arrayBuffers
    const started = performance.now()
    const res = await exportVotes()
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBeNull()
    const reader = res.body!.getReader()
    let firstAt = 0
    let bytes = 0
    let chunks = 0
    let peak = 0
    let records = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (chunks === 0) firstAt = performance.now()
      bytes += value.length
      for (const byte of value) if (byte === 0x0a) records++
      if (++chunks % 40 === 0) {
        gc()
        const now = process.memoryUsage()
        peak = Math.max(peak, now.heapUsed + now.arrayBuffers - baseline)
      }
    }
    const total = performance.now() - started
    expect(records).toBe(VOTES + 1)
    expect(bytes).toBeGreaterThan(30_000_000)
    // Built in memory first, the first byte would come only after all the work.
    // (A quarter, not less: on a loaded machine the first chunk can wait behind other work.)
    expect(firstAt - started).toBeLessThan(total / 4)
    // Held in memory whole, the export would be live on the heap (as text, then as bytes).
    expect(peak).toBeLessThan(bytes / 5)
  }, 60_000)

  it('answers other requests while the export is being sent', async () => {
    const started = performance.now()
    const res = await exportVotes()
    const reader = res.body!.getReader()
    await reader.read()
    let exportDone = false
    const reading = (async () => {
      for (;;) if ((await reader.read()).done) break
      exportDone = true
    })()
    const latencies: number[] = []
    while (!exportDone && latencies.length < 5) {
      const sent = performance.now()
      const health = await fetch(`${base}/healthz`)
      expect(await health.json()).toEqual({ ok: true })
      if (!exportDone) latencies.push(performance.now() - sent)
    }
    await reading
    const total = performance.now() - started
    expect(latencies).toHaveLength(5)
    // Each answer takes a small part of the export's time, not a wait for it to finish.
    expect(Math.max(...latencies)).toBeLessThan(Math.min(2_000, total / 4))
  }, 60_000)
})
