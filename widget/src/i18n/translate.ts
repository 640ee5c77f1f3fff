import type { Failure } from '../api.ts'
import type { Lang } from '../config.ts'
import type { Dict } from './vi.ts'

const loaded: Partial<Record<Lang, Dict>> = {}

/**
 * Loads one language's dictionary (its own small chunk, so a page downloads only the language it
 * shows; the loader starts this import in parallel with the widget module).
 */
export async function loadDict(lang: Lang): Promise<Dict> {
  return (loaded[lang] ??= lang === 'en' ? (await import('./en.ts')).en : (await import('./vi.ts')).vi)
}

/** The dictionary for a language; `loadDict` must have resolved first. */
export function dict(lang: Lang): Dict {
  return loaded[lang]!
}

/** The translated message for a failure code, with the wait time when the server gave one. */
export function errorText(t: Dict, { code, retryAfter }: Failure): string {
  const base = t.errors[code] ?? t.errors.other!
  return code === 'rate_limited' ? `${base} ${t.retryIn(retryAfter)}` : base
}

/** A date and time in the reader's language, in the reader's own time zone. */
export function formatDate(lang: Lang, iso: string): string {
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { dateStyle: 'medium', timeStyle: 'short' })
}
