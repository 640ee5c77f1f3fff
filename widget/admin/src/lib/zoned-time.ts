/**
 * `datetime-local` values in the editors' time zone (`VOXPOP_TIMEZONE`). The zone arithmetic is
 * the server's own (server/lib/zoned-time.ts: Intl only, no Node API), so the console and the
 * CSV exports can never disagree on a wall-clock time.
 */
import { zoneOffset } from '../../../../server/lib/zoned-time.ts'

const DAY = 86_400_000
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/**
 * The instant (ISO 8601 UTC) of a `datetime-local` value read as wall time in `timeZone`;
 * null for an empty or malformed value. A time that happens twice (clocks going back) is its
 * first occurrence; a time skipped by clocks going forward moves forward by the jump
 * (02:30 on a night that jumps from 02:00 to 03:00 becomes 03:30).
 */
export function zonedInputToIso(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim())
  if (!m) return null
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0))
  // The zone's offsets a day before and a day after: the instant is wall time minus one of them.
  const before = wall - zoneOffset(wall - DAY, timeZone)
  const after = wall - zoneOffset(wall + DAY, timeZone)
  const shows = (instant: number) => instant + zoneOffset(instant, timeZone) === wall
  const valid = [before, after].filter(shows)
  // Neither shows this wall time: it was skipped, and the offset before the jump moves it forward.
  return new Date(valid.length > 0 ? Math.min(...valid) : before).toISOString()
}

/** A `datetime-local` value (`YYYY-MM-DDTHH:mm`) showing the instant `iso` on the wall clock of `timeZone`. */
export function isoToZonedInput(iso: string | null, timeZone: string): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  const d = new Date(ms + zoneOffset(ms, timeZone))
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}
