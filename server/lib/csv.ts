import { stringify } from 'csv-stringify/sync'
import { setImmediate as nextTurn } from 'node:timers/promises'

/** One CSV cell: numbers are written as they are, null as an empty cell. */
export type CsvCell = string | number | null

/** Excel reads a UTF-8 file as such only when it starts with this byte-order mark. */
export const BOM = '\uFEFF'

/** The one media type of every export. */
export const CSV_TYPE = 'text/csv; charset=utf-8'

/**
 * Rows as RFC 4180 CSV: comma separator, CRLF after every record, fields quoted only when they
 * hold a quote, comma or line break. `escape_formulas` prefixes `'` to a text cell starting with
 * `=`, `+`, `-`, `@`, tab or CR (and their full-width forms), so a spreadsheet never runs it.
 */
export function csvRows(rows: CsvCell[][]): string {
  return stringify(rows, { record_delimiter: 'windows', escape_formulas: true, eof: true })
}

/**
 * A CSV byte stream: BOM and header first, then one chunk of rows per pull. Rows are read only
 * as the client takes them (backpressure), and each pull ends by yielding to the event loop so
 * other requests are answered while a large export runs.
 */
export function csvStream(header: string[], chunks: Iterator<CsvCell[][]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let started = false
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true
          controller.enqueue(encoder.encode(BOM + csvRows([header])))
          return
        }
        const next = chunks.next()
        if (next.done) return controller.close()
        controller.enqueue(encoder.encode(csvRows(next.value)))
        await nextTurn()
      },
      cancel() {
        chunks.return?.()
      },
    },
    { highWaterMark: 1 },
  )
}

/** A file-name-safe slug in ASCII (`Bạn đọc tin?` → `ban-doc-tin`), at most `max` characters. */
export function asciiSlug(text: string, max = 60): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '')
}

/** A readable slug that keeps letters of any script (`Bạn đọc tin?` → `bạn-đọc-tin`). */
export function unicodeSlug(text: string, max = 60): string {
  const slug = text.normalize('NFC').toLocaleLowerCase('vi').replace(/[^\p{L}\p{M}\p{N}]+/gu, '-').replace(/^-+/, '')
  return Array.from(slug).slice(0, max).join('').replace(/-+$/, '')
}

/** RFC 8187 value encoding (`filename*=UTF-8''…`). */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * `Content-Disposition` for a download: an ASCII `filename` every client understands, and the
 * readable Unicode name in `filename*` for those that do (all current browsers).
 */
export function attachment(parts: string[], extension = 'csv'): string {
  const ascii = parts.map((p) => asciiSlug(p)).filter(Boolean).join('-') || 'export'
  const unicode = parts.map((p) => unicodeSlug(p)).filter(Boolean).join('-') || 'export'
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeExtValue(`${unicode}.${extension}`)}`
}
