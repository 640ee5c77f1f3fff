import type { MiddlewareHandler } from 'hono'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { isJsonType, jsonText, replaceResponse } from '../lib/response-body.ts'

/** Bodies smaller than this go out as they are: below one packet, compressing saves nothing. */
export const COMPRESS_MIN_BYTES = 1024

/**
 * Compressed copies kept by ETag, so a spike on one comment page compresses it once. Answers
 * that share an ETag are interchangeable by definition (http-cache's weak ETags), so either copy will do.
 */
const MEMO_ENTRIES = 256

export type Encoding = 'br' | 'gzip'

/** Encodings picked for the `Accept-Encoding` values seen lately: browsers send a handful of them, each on every request. */
const picked = new Map<string, Encoding | null>()

/** The client's preferred encoding among br and gzip (a `q=0` refuses one), or null for none. */
export function pickEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (!acceptEncoding) return null
  let encoding = picked.get(acceptEncoding)
  if (encoding === undefined) {
    encoding = parseAcceptEncoding(acceptEncoding)
    if (picked.size >= 64) picked.clear()
    picked.set(acceptEncoding, encoding)
  }
  return encoding
}

function parseAcceptEncoding(acceptEncoding: string): Encoding | null {
  const q = new Map<string, number>()
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';')
    const weight = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
    q.set(name!.trim(), weight === undefined ? 1 : Number(weight))
  }
  const of = (name: Encoding) => q.get(name) ?? q.get('*') ?? 0
  const br = of('br')
  const gzip = of('gzip')
  if (br > 0 && br >= gzip) return 'br'
  return gzip > 0 ? 'gzip' : null
}

/** Whether a JSON answer is worth compressing: big enough, and not marked `no-transform`. */
export function compressible(text: string, cacheControl: string | null): boolean {
  if (text.length < COMPRESS_MIN_BYTES && Buffer.byteLength(text) < COMPRESS_MIN_BYTES) return false
  return !/\bno-transform\b/i.test(cacheControl ?? '')
}

/** Compresses a JSON text (or its UTF-8 bytes) for the wire. */
export function compress(text: string | Uint8Array, encoding: Encoding): Buffer {
  const input = typeof text === 'string' ? Buffer.from(text) : text
  if (encoding === 'gzip') return gzipSync(input, { level: 6 })
  // Quality 5 compresses JSON better than gzip -6 in about the same time; 11 is for static files.
  return brotliCompressSync(input, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: input.length },
  })
}

/**
 * Compresses JSON answers (brotli or gzip, as the client accepts) once they are big enough.
 * Streams (CSV exports) and anything already encoded pass through untouched; every JSON answer
 * says `Vary: Accept-Encoding` so caches keep the encodings apart.
 */
export function compressJson(): MiddlewareHandler {
  const memo = new Map<string, Buffer>()
  return async function compressJson(c, next) {
    await next()
    if (c.res.headers.has('content-encoding')) return
    // A 304 names the same variants as the answer it stands for.
    if (c.res.status === 304) return void c.res.headers.append('Vary', 'Accept-Encoding')
    if (!isJsonType(c.res.headers)) return
    c.res.headers.append('Vary', 'Accept-Encoding')
    // Asked before the text is looked at: scripts and load generators accept no encoding.
    const encoding = pickEncoding(c.req.header('accept-encoding'))
    if (!encoding) return
    const text = await jsonText(c)
    // Read after jsonText, which may have replaced the response.
    const headers = c.res.headers
    if (text === null || !compressible(text, headers.get('cache-control'))) return
    const etag = headers.get('etag')
    const key = etag && `${encoding} ${etag}`
    let body = key ? memo.get(key) : undefined
    if (!body) {
      body = compress(text, encoding)
      if (key) {
        if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value!)
        memo.set(key, body)
      }
    }
    headers.set('Content-Encoding', encoding)
    headers.delete('content-length')
    replaceResponse(c, new Uint8Array(body.buffer, body.byteOffset, body.byteLength), c.res.status, headers)
  }
}
