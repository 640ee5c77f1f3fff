/** Wall-clock time in an IANA time zone (the editors' `VOXPOP_TIMEZONE`), without a date library. */

const QUARTER_MS = 15 * 60 * 1000
const formatters = new Map<string, Intl.DateTimeFormat>()
const offsets = new Map<string, Map<number, number>>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Milliseconds to add to a UTC instant to get the wall-clock time in `timeZone` at that instant. */
export function zoneOffset(ms: number, timeZone: string): number {
  // Every real offset change happens on a quarter hour, so one lookup per quarter is exact;
  // formatToParts costs microseconds, which a million-row export would feel.
  const quarter = Math.floor(ms / QUARTER_MS)
  let cache = offsets.get(timeZone)
  if (!cache) offsets.set(timeZone, (cache = new Map()))
  const known = cache.get(quarter)
  if (known !== undefined) return known
  const start = quarter * QUARTER_MS
  const p: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(start)) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  const offset = wall - start
  if (cache.size > 50_000) cache.clear()
  cache.set(quarter, offset)
  return offset
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** `YYYY-MM-DD HH:mm:ss` in `timeZone`. */
export function formatLocal(ms: number, timeZone: string): string {
  const d = new Date(ms + zoneOffset(ms, timeZone))
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  )
}

/** `YYYY-MM-DD`: the calendar date in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  return formatLocal(ms, timeZone).slice(0, 10)
}

/** The UTC instant at which the wall clock in `timeZone` shows `wallMs` (wall time written as if UTC). */
export function zonedToUtc(wallMs: number, timeZone: string): number {
  // Two passes settle the offset even next to a daylight-saving change.
  const guess = wallMs - zoneOffset(wallMs, timeZone)
  return wallMs - zoneOffset(guess, timeZone)
}

/** The first instant of the local hour (`hour`) or day (`day`) that contains `ms`. */
export function startOfLocal(unit: 'hour' | 'day', ms: number, timeZone: string): number {
  const size = unit === 'hour' ? 3_600_000 : 86_400_000
  const wall = ms + zoneOffset(ms, timeZone)
  return zonedToUtc(Math.floor(wall / size) * size, timeZone)
}

/**
 * For exports, which write two times per row: `ms` as ISO 8601 UTC and as `formatLocal` text.
 * Rows come oldest first, so neighbours mostly share a minute, and the text up to the minute is
 * made once per minute (offsets change on quarter hours only, never within a minute). Keeps state:
 * make one per export.
 */
export function timeTexts(timeZone: string): (ms: number) => [utc: string, local: string] {
  let minute = Number.NaN
  let utcPrefix = ''
  let localPrefix: string | null = null
  return (ms) => {
    const m = Math.floor(ms / 60_000)
    if (m !== minute) {
      minute = m
      const start = m * 60_000
      utcPrefix = new Date(start).toISOString().slice(0, -7)
      const local = formatLocal(start, timeZone)
      // An offset in whole minutes (every zone since the 1970s) leaves the seconds as in UTC.
      localPrefix = local.endsWith(':00') ? local.slice(0, -2) : null
    }
    const rest = ms - minute * 60_000
    const seconds = pad(Math.floor(rest / 1000))
    return [`${utcPrefix}${seconds}.${pad(rest % 1000, 3)}Z`, localPrefix === null ? formatLocal(ms, timeZone) : localPrefix + seconds]
  }
}
