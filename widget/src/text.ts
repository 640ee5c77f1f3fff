import { h as el, type ComponentChild } from 'preact'
import type { Lang } from './config.ts'

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]}]/g

/** Plain text with http(s) URLs as safe links; never parsed as HTML. Line breaks are kept by CSS. */
export function linkify(text: string): ComponentChild[] {
  const out: ComponentChild[] = []
  let last = 0
  for (const m of text.matchAll(URL_RE)) {
    out.push(text.slice(last, m.index), el('a', { href: m[0], rel: 'nofollow ugc noopener noreferrer', target: '_blank' }, m[0]))
    last = m.index + m[0].length
  }
  out.push(text.slice(last))
  return out
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
]

/** "5 phút trước" / "5 minutes ago", from the browser's own Intl data (no bytes shipped). */
export function timeAgo(iso: string, lang: Lang, now = Date.now()): string {
  let n = Math.round((Date.parse(iso) - now) / 1000)
  const fmt = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  for (const [unit, size] of STEPS) {
    if (Math.abs(n) < size) return fmt.format(unit === 'second' && n > -10 ? 0 : n, unit)
    n = Math.round(n / size)
  }
  return ''
}
