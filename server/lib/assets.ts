import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

/** One static file held in memory with its precompressed forms. */
export interface Asset {
  body: Buffer
  gzip: Buffer | null
  br: Buffer | null
  type: string
  etag: string
  cacheControl: string
}

/** Static files by URL path. */
export type Assets = Map<string, Asset>

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
}

const TEXTUAL = /^(text\/|application\/json|image\/svg)/

/** Cache policy: content-hashed files forever, the loader and pages briefly. */
export function cachePolicy(urlPath: string): string {
  if (/\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.\w+$/.test(urlPath)) return 'public, max-age=31536000, immutable'
  if (urlPath.endsWith('.html') || urlPath.endsWith('/')) return 'no-cache'
  return 'public, max-age=300, stale-while-revalidate=86400'
}

/** Builds an in-memory asset from bytes: ETag from content, gzip and brotli precomputed. */
export function makeAsset(urlPath: string, body: Buffer): Asset {
  const type = TYPES[extname(urlPath)] ?? 'application/octet-stream'
  const compress = TEXTUAL.test(type) && body.length > 512
  return {
    body,
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    gzip: compress ? gzipSync(body, { level: 9 }) : null,
    br: compress ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }) : null,
    cacheControl: cachePolicy(urlPath),
  }
}

/** Reads every file under `dir` into `into`, keyed by `prefix` + relative path. */
export function loadDir(into: Assets, dir: string, prefix: string): Assets {
  if (!existsSync(dir)) return into
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue
    const full = join(dir, name)
    if (statSync(full).isDirectory()) loadDir(into, full, `${prefix}${name}/`)
    else into.set(prefix + name, makeAsset(prefix + name, readFileSync(full)))
  }
  return into
}
