import type { Lang } from '../config.ts'
import { en } from './en.ts'
import { vi, type Dict } from './vi.ts'

/** The dictionary for a language. */
export function dict(lang: Lang): Dict {
  return lang === 'en' ? en : vi
}

/** The translated message for a failure code, with the wait time when the server gave one. */
export function errorText(t: Dict, code: string, retryAfter?: number): string {
  const base = t.errors[code] ?? t.errors.other!
  return code === 'rate_limited' && retryAfter ? `${base} ${t.retryIn(retryAfter)}` : base
}

/** A date and time in the reader's language, in the reader's own time zone. */
export function formatDate(lang: Lang, iso: string): string {
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { dateStyle: 'medium', timeStyle: 'short' })
}
