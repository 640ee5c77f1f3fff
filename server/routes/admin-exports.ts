import { Hono } from 'hono'
import type { Context } from 'hono'
import { validator } from 'hono/validator'
import * as z from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import { createExportStore, type CommentRow, type VoteRow } from '../db/exports.ts'
import type { PollRecord, PollStore } from '../db/polls.ts'
import { ApiError } from '../errors.ts'
import { pageKey } from '../lib/comment-text.ts'
import { attachment, csvStream, CSV_TYPE, type CsvCell } from '../lib/csv.ts'
import { percentages } from '../lib/percent.ts'
import { parseOr } from '../lib/validate.ts'
import { localDate, timeTexts } from '../lib/zoned-time.ts'

const RESULTS_HEADER = ['poll_id', 'question', 'option_id', 'option', 'votes', 'percent']
const COMMENT_STATUSES = ['pending', 'approved', 'rejected', 'spam', 'all'] as const
const commentQuery = z.object({
  status: z.enum(COMMENT_STATUSES).optional(),
  // The same key rules as the moderation list, so a filter that works there works here.
  page: pageKey.optional(),
})

/** The column header of local times: `created_at_local (Asia/Ho_Chi_Minh)`. */
export const localHeader = (timeZone: string) => `created_at_local (${timeZone})`

/** `options` of the votes export: labels in display order joined with `; `, memoised per ballot shape. */
function optionLabeler(poll: PollRecord): (optionIds: string) => string {
  const position = new Map(poll.options.map((o, i) => [o.id, i]))
  const label = new Map(poll.options.map((o) => [o.id, o.label]))
  const memo = new Map<string, string>()
  return (optionIds) => {
    let text = memo.get(optionIds)
    if (text === undefined) {
      const ids = JSON.parse(optionIds) as string[]
      ids.sort((a, b) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity))
      text = ids.map((id) => label.get(id) ?? id).join('; ')
      if (memo.size < 10_000) memo.set(optionIds, text)
    }
    return text
  }
}

function* mapChunks<T>(chunks: Iterable<T[]>, toRow: (item: T) => CsvCell[]): Generator<CsvCell[][]> {
  for (const chunk of chunks) yield chunk.map(toRow)
}

function sendCsv(c: Context, fileName: string[], header: string[], rows: Iterator<CsvCell[][]>) {
  return c.body(csvStream(header, rows), 200, {
    'Content-Type': CSV_TYPE,
    'Content-Disposition': attachment(fileName),
    // Exports carry pseudonymous hashes and emails: never keep them in a shared cache.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
}

/** CSV downloads for editors (mounted behind admin auth): poll results, poll ballots, comments. */
export function adminExportRoutes(deps: AppDeps & { polls: PollStore }) {
  const { polls, config, db } = deps
  const now = deps.now ?? Date.now
  const exports = createExportStore(db)
  const zone = config.timezone
  const findPoll = (id: string) => polls.get(id) ?? (() => { throw new ApiError(404, 'poll_not_found', 'No poll with this id') })()

  return new Hono<AppEnv>()
    .get('/polls/:id/results.csv', (c) => {
      const poll = findPoll(c.req.param('id'))
      const percents = percentages(poll.options.map((o) => o.votes))
      const rows: CsvCell[][] = poll.options.map((o, i) => [poll.id, poll.question, o.id, o.label, o.votes, percents[i]!])
      rows.push([poll.id, poll.question, null, 'total_votes', poll.totalVotes, null])
      rows.push([poll.id, poll.question, null, 'total_voters', poll.totalVoters, null])
      return sendCsv(c, [poll.question, 'results', localDate(now(), zone)], RESULTS_HEADER, [rows].values())
    })
    .get('/polls/:id/votes.csv', (c) => {
      const poll = findPoll(c.req.param('id'))
      const labels = optionLabeler(poll)
      const header = ['vote_id', 'created_at_utc', localHeader(zone), 'options', 'status', 'voter_hash', 'ip_hash']
      const times = timeTexts(zone)
      const toRow = ([id, createdAt, optionIds, status, voterHash, ipHash]: VoteRow): CsvCell[] => {
        const [utc, local] = times(createdAt)
        return [id, utc, local, labels(optionIds), status, voterHash, ipHash]
      }
      return sendCsv(c, [poll.question, 'votes', localDate(now(), zone)], header, mapChunks(exports.votes(poll.id), toRow))
    })
    .get('/comments.csv', validator('query', (v) => parseOr(commentQuery, v, 'invalid_request')), (c) => {
      const { status = 'all', page } = c.req.valid('query')
      const header = [
        'comment_id', 'page', 'page_title', 'parent_id', 'author', 'body', 'status', 'likes', 'created_at_utc', localHeader(zone),
      ]
      const times = timeTexts(zone)
      const toRow = (r: CommentRow): CsvCell[] => [r.id, r.page, r.title, r.parent_id, r.author, r.body, r.status, r.likes, ...times(r.created_at)]
      const rows = exports.comments({ status: status === 'all' ? null : status, page: page ?? null })
      const name = ['comments', status === 'all' ? '' : status, page ?? '', localDate(now(), zone)]
      return sendCsv(c, name, header, mapChunks(rows, toRow))
    })
}
