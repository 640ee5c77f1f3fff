import type { AdminPollView, Dedupe, ResultsVisibility } from '../../../../server/types.ts'
import type { Dict } from '../i18n/vi.ts'
import { isoToZonedInput, zonedInputToIso } from './zoned-time.ts'

/** One option row of the form; `id` is set for options the poll already has. */
export interface OptionDraft {
  key: string
  id?: string
  label: string
  votes: number
}

/** The poll form's state: every field as the editor typed it. */
export interface PollDraft {
  question: string
  options: OptionDraft[]
  multiple: boolean
  maxChoices: string
  opensAt: string
  closesAt: string
  resultsVisibility: ResultsVisibility
  dedupe: Dedupe
  maxVotesPerIp: string
  ipWindowSeconds: string
}

/** Most options a poll may have (the server's limit). */
export const MAX_OPTIONS = 20

let counter = 0
/** A key for a new option row (rows move, so their index is no key). */
export const newKey = () => `o${++counter}`

/** The form for a new poll: two empty options, the server's defaults. */
export function emptyDraft(): PollDraft {
  return {
    question: '',
    options: [
      { key: newKey(), label: '', votes: 0 },
      { key: newKey(), label: '', votes: 0 },
    ],
    multiple: false,
    maxChoices: '2',
    opensAt: '',
    closesAt: '',
    resultsVisibility: 'after_vote',
    dedupe: 'voter+ip',
    maxVotesPerIp: '50',
    ipWindowSeconds: '3600',
  }
}

/** The form for an existing poll, times shown on the wall clock of `timeZone`. */
export function draftOf(poll: AdminPollView, timeZone: string): PollDraft {
  const votes = new Map(poll.results.options.map((o) => [o.id, o.votes]))
  return {
    question: poll.question,
    options: poll.options.map((o) => ({ key: newKey(), id: o.id, label: o.label, votes: votes.get(o.id) ?? 0 })),
    multiple: poll.multiple,
    maxChoices: String(poll.maxChoices),
    opensAt: isoToZonedInput(poll.opensAt, timeZone),
    closesAt: isoToZonedInput(poll.closesAt, timeZone),
    resultsVisibility: poll.resultsVisibility,
    dedupe: poll.dedupe,
    maxVotesPerIp: String(poll.maxVotesPerIp),
    ipWindowSeconds: String(poll.ipWindowSeconds),
  }
}

const wholeNumber = (value: string) => (/^\d+$/.test(value.trim()) && Number(value) >= 1 ? Number(value) : null)

/**
 * The request body for `POST` (create) or `PATCH` (edit) from a draft, or the problems to fix,
 * in the editor's language. Times typed on the wall clock of `timeZone` become ISO UTC instants.
 */
export function draftBody(draft: PollDraft, timeZone: string, t: Dict, editing: boolean): { body?: Record<string, unknown>; problems: string[] } {
  const problems: string[] = []
  const question = draft.question.trim()
  if (!question) problems.push(t.form.errors.question)
  const labels = draft.options.map((o) => o.label.trim())
  if (labels.length < 2 || labels.length > MAX_OPTIONS) problems.push(t.form.errors.optionsCount)
  if (labels.some((l) => !l)) problems.push(t.form.errors.blankOption)
  const seen = new Set<string>()
  for (const label of labels) {
    const key = label.toLocaleLowerCase('vi')
    if (label && seen.has(key)) problems.push(t.form.errors.duplicateOption(label))
    seen.add(key)
  }
  const maxChoices = draft.multiple ? wholeNumber(draft.maxChoices) : 1
  if (maxChoices === null || maxChoices > labels.length) problems.push(t.form.errors.maxChoices)
  const opensAt = draft.opensAt ? zonedInputToIso(draft.opensAt, timeZone) : null
  const closesAt = draft.closesAt ? zonedInputToIso(draft.closesAt, timeZone) : null
  if ((draft.opensAt && !opensAt) || (draft.closesAt && !closesAt)) problems.push(t.form.errors.badDate)
  if (opensAt && closesAt && opensAt > closesAt) problems.push(t.form.errors.order)
  const maxVotesPerIp = wholeNumber(draft.maxVotesPerIp)
  const ipWindowSeconds = wholeNumber(draft.ipWindowSeconds)
  if (maxVotesPerIp === null || ipWindowSeconds === null) problems.push(t.form.errors.number)
  if (problems.length) return { problems }

  const body: Record<string, unknown> = {
    question,
    options: editing ? draft.options.map((o) => (o.id ? { id: o.id, label: o.label.trim() } : o.label.trim())) : labels,
    multiple: draft.multiple,
    maxChoices,
    closesAt,
    resultsVisibility: draft.resultsVisibility,
    dedupe: draft.dedupe,
    maxVotesPerIp,
    ipWindowSeconds,
  }
  // A new poll with no opening time opens now (the server's default); an edited one keeps no limit.
  if (opensAt || editing) body.opensAt = opensAt
  return { body, problems }
}
