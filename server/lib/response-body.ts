import type { Context } from 'hono'

const JSON_TYPE = /^application\/json\b/i

/** A Buffer's bytes as the plain `Uint8Array` web bodies take (no copy). */
export const toBytes = (buffer: Buffer) => new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength)

/** A value's JSON as UTF-8 bytes, ready to send. */
export const jsonBytes = (value: unknown) => toBytes(Buffer.from(JSON.stringify(value)))

/** Whether an answer says it is JSON (it may still have no body). */
export const isJsonType = (headers: Headers) => JSON_TYPE.test(headers.get('content-type') ?? '')

/** The hidden slot where @hono/node-server's lightweight Response keeps `[status, body, headers]`. */
function lightweightSlot(res: Response): unknown[] | null {
  for (const key of Object.getOwnPropertySymbols(res)) {
    if (key.description === 'cache') {
      const slot = (res as unknown as Record<symbol, unknown>)[key]
      return Array.isArray(slot) ? slot : null
    }
  }
  return null
}

/**
 * The text of the JSON answer in `c.res`, or null when it is not a JSON answer with a body.
 *
 * On Node, @hono/node-server swaps the global Response for a lightweight one that keeps a string
 * body as it is and writes it straight to the socket; reading `.body` or `.text()` would turn it
 * into a web stream and cost more than the whole middleware. So the string is taken from that
 * slot when it is there, and read the standard way otherwise (app.request() in tests, other runtimes).
 */
export async function jsonText(c: Context): Promise<string | null> {
  const res = c.res
  if (!isJsonType(res.headers)) return null
  const slot = lightweightSlot(res)
  if (slot && typeof slot[1] === 'string') return slot[1]
  if (slot && slot[1] === null) return null
  if (res.body === null) return null
  const text = await res.text()
  replaceResponse(c, text, res.status, res.headers)
  return text
}

/**
 * Puts a new response in `c.res` as is. Assigning over an existing one makes Hono copy it
 * through `.body` (a stream); clearing first keeps a string or bytes body on the fast path.
 */
export function replaceResponse(c: Context, body: string | Uint8Array | null, status: number, headers: Headers): void {
  c.res = undefined as unknown as Response
  c.res = new Response(body as BodyInit | null, { status, headers })
}
