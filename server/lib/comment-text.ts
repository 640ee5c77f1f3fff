import * as z from 'zod'
import { ApiError } from '../errors.ts'

/** Longest page key (thread key) accepted, in characters. */
export const MAX_PAGE_KEY_CHARS = 500
/** Longest author name, in characters. */
export const MAX_AUTHOR_CHARS = 60
/** Longest page title kept for the admin console, in characters. */
export const MAX_TITLE_CHARS = 300
/** Longest page URL kept for the admin console. */
export const MAX_URL_CHARS = 2000
/** A comment with more links than this waits for an editor even in `post` moderation. */
export const MAX_LINKS_UNMODERATED = 3

/** Characters, not UTF-16 units: "Việt" is 4 in NFC whatever the keyboard sent. */
export function charCount(text: string): number {
  return [...text].length
}

/** NFC (Vietnamese keyboards send NFD too), one kind of line break, no outer whitespace. */
export function normaliseText(raw: string): string {
  return raw.normalize('NFC').replace(/\r\n?/g, '\n').trim()
}

// A lone surrogate cannot be stored as UTF-8 (SQLite would swap it for U+FFFD) and control
// characters other than tab and newline only serve to hide or spoof text: both are refused
// rather than silently altered, so whatever is stored is exactly what was accepted.
const LONE_SURROGATE = /\p{Cs}/u
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F]/
const CONTROL_ONE_LINE = /[\u0000-\u001F\u007F]/

/** Why `text` (already normalised) is not acceptable, or null when it is. */
export function textProblem(text: string, min: number, max: number, multiline: boolean): string | null {
  if (LONE_SURROGATE.test(text)) return 'contains an invalid character (a lone surrogate)'
  if ((multiline ? CONTROL_MULTILINE : CONTROL_ONE_LINE).test(text)) return 'contains control characters'
  const length = charCount(text)
  if (length < min) return 'must not be empty'
  if (length > max) return `must be at most ${max} characters (got ${length})`
  return null
}

function refine(text: string, min: number, max: number, multiline: boolean, ctx: z.RefinementCtx): string {
  const problem = textProblem(text, min, max, multiline)
  if (problem === null) return text
  ctx.addIssue({ code: 'custom', message: problem })
  return z.NEVER
}

/** A zod string normalised with `normaliseText` and held to `min..max` characters. */
export function plainText(min: number, max: number, options: { multiline?: boolean } = {}) {
  return z.string().transform((raw, ctx) => refine(normaliseText(raw), min, max, options.multiline ?? false, ctx))
}

/** An optional one-line text where blank (or null) means "not given" and becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .nullish()
    .transform((raw, ctx) => {
      const text = raw == null ? '' : normaliseText(raw)
      return text === '' ? null : refine(text, 1, max, false, ctx)
    })
}

/** The thread key a page is known by: normalised like any text so NFC and NFD keys meet. */
export const pageKey = plainText(1, MAX_PAGE_KEY_CHARS)

/** An optional email: blank means none; never returned by a public endpoint. */
export const optionalEmail = z
  .string()
  .max(254, 'must be at most 254 characters')
  .nullish()
  .transform((raw) => (raw == null || raw.trim() === '' ? null : raw.trim()))
  .pipe(z.email('must be a valid email address').nullable())

/** An optional http(s) URL of the commented page; blank means none. */
export const optionalUrl = z
  .string()
  .nullish()
  .transform((raw, ctx) => {
    const value = raw?.trim() ?? ''
    if (value === '') return null
    let url: URL | null = null
    try {
      url = new URL(value)
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' })
      return z.NEVER
    }
    if (value.length > MAX_URL_CHARS) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_URL_CHARS} characters` })
      return z.NEVER
    }
    return value
  })

/** How many http(s) links a body holds: exactly what the widget turns into anchors. */
export function countLinks(body: string): number {
  return body.match(/https?:\/\/[^\s<>"']+/gi)?.length ?? 0
}

/** A comment id from a URL path; anything that cannot name a comment is `404 comment_not_found`. */
export function commentIdParam(raw: string): number {
  const id = /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : 0
  if (id === 0) throw new ApiError(404, 'comment_not_found', 'No comment with this id')
  return id
}
