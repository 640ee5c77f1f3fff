/** Converts between instants and the wall clock of the editors' time zone (`VOXPOP_TIMEZONE`). */

const parts = new Map<string, Intl.DateTimeFormat>()

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = parts.get(timeZone)
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
    parts.set(timeZone, f)
  }
  return f
}

/** Milliseconds to add to the instant `ms` to read the wall clock in `timeZone`. */
export function zoneOffset(ms: number, timeZone: string): number {
  const p: Record<string, number> = {}
  for (const part of partsFormat(timeZone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return wall - (ms - (((ms % 1000) + 1000) % 1000))
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/**
 * The instant (ISO 8601 UTC) of a `datetime-local` value read as wall time in `timeZone`;
 * null for an empty or malformed value. A time skipped by a daylight-saving change moves forward.
 */
export function zonedInputToIso(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim())
  if (!m) return null
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0))
  // Two passes settle the offset next to a daylight-saving change.
  const guess = wall - zoneOffset(wall, timeZone)
  return new Date(wall - zoneOffset(guess, timeZone)).toISOString()
}

/** A `datetime-local` value (`YYYY-MM-DDTHH:mm`) showing the instant `iso` on the wall clock of `timeZone`. */
export function isoToZonedInput(iso: string | null, timeZone: string): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  const d = new Date(ms + zoneOffset(ms, timeZone))
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}
