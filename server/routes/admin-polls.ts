import { Hono } from 'hono'
import * as z from 'zod'
import type { AppDeps, AppEnv } from '../context.ts'
import type { PollInput, PollRecord, PollStore } from '../db/polls.ts'
import { ApiError } from '../errors.ts'
import { adminPollView } from '../lib/poll-view.ts'
import { jsonInput } from '../lib/validate.ts'

const MAX_OPTIONS = 20
const text = (max: number) => z.string().max(max * 4).transform((s) => s.normalize('NFC').trim())
const timestamp = z.iso.datetime({ offset: true }).nullable().optional()
const settings = {
  multiple: z.boolean().optional(),
  maxChoices: z.number().int().min(1).max(MAX_OPTIONS).optional(),
  opensAt: timestamp,
  closesAt: timestamp,
  resultsVisibility: z.enum(['always', 'after_vote', 'after_close']).optional(),
  maxVotesPerIp: z.number().int().min(1).max(1_000_000).optional(),
  ipWindowSeconds: z.number().int().min(1).max(30 * 86400).optional(),
  dedupe: z.enum(['voter', 'voter+ip']).optional(),
}
const createSchema = z.object({ question: text(500), options: z.array(text(200)).max(100), ...settings })
const patchSchema = z.object({
  question: text(500).optional(),
  options: z.array(z.union([text(200), z.object({ id: z.string().max(64).optional(), label: text(200) })])).max(100).optional(),
  ...settings,
})

function invalid(message: string): never {
  throw new ApiError(400, 'invalid_poll', message)
}

const toMs = (v: string | null | undefined, fallback: number | null) =>
  v === undefined ? fallback : v === null ? null : Date.parse(v)

/** Applies the rules a whole poll must meet after a create or an edit. */
function checkPoll(input: PollInput): PollInput {
  if (!input.question) invalid('question: must not be empty')
  if (input.question.length > 500) invalid('question: at most 500 characters')
  if (input.options.length < 2 || input.options.length > MAX_OPTIONS) invalid(`options: give 2 to ${MAX_OPTIONS} options`)
  const seen = new Set<string>()
  for (const o of input.options) {
    if (!o.label) invalid('options: labels must not be blank')
    if (o.label.length > 200) invalid('options: labels have at most 200 characters')
    const key = o.label.toLocaleLowerCase('vi')
    if (seen.has(key)) invalid(`options: "${o.label}" appears twice`)
    seen.add(key)
  }
  if (!input.multiple && input.maxChoices !== 1) invalid('maxChoices: a single-choice poll takes exactly 1')
  if (input.maxChoices > input.options.length) invalid('maxChoices: more than there are options')
  if (input.opensAt !== null && input.closesAt !== null && input.opensAt > input.closesAt) invalid('opensAt: must not be after closesAt')
  return input
}

function fromCreate(body: z.output<typeof createSchema>, now: number): PollInput {
  const multiple = body.multiple ?? false
  return checkPoll({
    question: body.question,
    options: body.options.map((label) => ({ label })),
    multiple,
    maxChoices: body.maxChoices ?? (multiple ? body.options.length : 1),
    opensAt: toMs(body.opensAt, now),
    closesAt: toMs(body.closesAt, null),
    resultsVisibility: body.resultsVisibility ?? 'after_vote',
    maxVotesPerIp: body.maxVotesPerIp ?? 50,
    ipWindowSeconds: body.ipWindowSeconds ?? 3600,
    dedupe: body.dedupe ?? 'voter+ip',
  })
}

function fromPatch(poll: PollRecord, body: z.output<typeof patchSchema>): { input: PollInput; removed: string[] } {
  const known = new Set(poll.options.map((o) => o.id))
  const options = body.options?.map((o) => (typeof o === 'string' ? { label: o } : o)) ?? poll.options
  const named = new Set<string>()
  for (const o of options) {
    if (o.id === undefined) continue
    if (!known.has(o.id)) invalid(`options: unknown option id "${o.id}"`)
    // Naming one option twice would merge the entries into one row and silently drop the other option.
    if (named.has(o.id)) invalid(`options: option id "${o.id}" appears twice`)
    named.add(o.id)
  }
  const kept = new Set(options.map((o) => o.id))
  const removed = poll.options.filter((o) => !kept.has(o.id)).map((o) => o.id)
  const multiple = body.multiple ?? poll.multiple
  const maxChoices = body.maxChoices ?? (body.multiple === false ? 1 : body.multiple === true && !poll.multiple ? options.length : poll.maxChoices)
  const input = checkPoll({
    question: body.question ?? poll.question,
    options: options.map((o) => ({ id: o.id, label: o.label })),
    multiple,
    maxChoices,
    opensAt: toMs(body.opensAt, poll.opensAt),
    closesAt: toMs(body.closesAt, poll.closesAt),
    resultsVisibility: body.resultsVisibility ?? poll.resultsVisibility,
    maxVotesPerIp: body.maxVotesPerIp ?? poll.maxVotesPerIp,
    ipWindowSeconds: body.ipWindowSeconds ?? poll.ipWindowSeconds,
    dedupe: body.dedupe ?? poll.dedupe,
  })
  return { input, removed }
}

/** Admin poll routes (mounted behind admin auth): list, create, edit, delete. */
export function adminPollRoutes(deps: AppDeps & { polls: PollStore }) {
  const { polls } = deps
  const now = deps.now ?? Date.now
  const find = (id: string) => polls.get(id) ?? (() => { throw new ApiError(404, 'poll_not_found', 'No poll with this id') })()

  return new Hono<AppEnv>()
    .get('/', (c) => c.json({ polls: polls.list().map((p) => adminPollView(p, now())) }))
    .post('/', jsonInput(createSchema, 'invalid_poll'), (c) => {
      const at = now()
      const id = polls.create(fromCreate(c.req.valid('json'), at), at)
      return c.json(adminPollView(find(id), at), 201)
    })
    .get('/:id', (c) => c.json(adminPollView(find(c.req.param('id')), now())))
    .patch('/:id', jsonInput(patchSchema, 'invalid_poll'), (c) => {
      const poll = find(c.req.param('id'))
      const { input, removed } = fromPatch(poll, c.req.valid('json'))
      const used = removed.filter((optionId) => polls.optionHasVotes(poll.id, optionId))
      if (used.length) throw new ApiError(409, 'option_has_votes', 'Options that have votes cannot be removed')
      polls.update(poll.id, input, now(), removed)
      return c.json(adminPollView(find(poll.id), now()))
    })
    .delete('/:id', (c) => {
      if (!polls.remove(c.req.param('id'))) throw new ApiError(404, 'poll_not_found', 'No poll with this id')
      return c.body(null, 204)
    })
}
