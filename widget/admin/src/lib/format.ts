import type { Lang } from '../i18n/i18n.ts'

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'vi-VN')

/** A date and time in the editors' time zone, short form. */
export function formatWhen(iso: string, timeZone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(Date.parse(iso))
}

/** A clock time with seconds in the editors' time zone. */
export function formatClock(ms: number, timeZone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone, timeStyle: 'medium' }).format(ms)
}

/** A bucket label for the timeline chart: `14:00` for hours, `01/06` for days. */
export function formatBucket(iso: string, unit: 'hour' | 'day', timeZone: string, lang: Lang): string {
  const options: Intl.DateTimeFormatOptions =
    unit === 'hour' ? { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { timeZone, day: '2-digit', month: '2-digit' }
  return new Intl.DateTimeFormat(locale(lang), options).format(Date.parse(iso))
}

/** A whole number with the language's grouping. */
export function formatCount(n: number, lang: Lang): string {
  return n.toLocaleString(locale(lang))
}
