import { hash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

/** One static file held in memory with its compressed forms (null when not worth compressing). */
export interface Asset {
  body: Buffer
  readonly gzip: Buffer | null
  readonly br: Buffer | null
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

/** Whether a file of this name and size is worth sending compressed. */
export function compressible(urlPath: string, size: number): boolean {
  return TEXTUAL.test(TYPES[extname(urlPath)] ?? '') && size > 512
}

/** The gzip (level 9) and brotli (quality 11) forms of a file: slow, so `npm run build` does it once. */
export function compressStatic(body: Buffer): { gzip: Buffer; br: Buffer } {
  return {
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  }
}

/**
 * Builds an in-memory asset from bytes: ETag from content; gzip and brotli as given (the build
 * makes them for dist/), else made the first time a client asks for one — the demo page's files
 * are not worth brotli 11 on the start-up path.
 */
export function makeAsset(urlPath: string, body: Buffer, precompressed?: { gzip: Buffer; br: Buffer } | null): Asset {
  // undefined: compressible, not compressed yet; null: sent as is.
  let packed: { gzip: Buffer; br: Buffer } | null | undefined = compressible(urlPath, body.length) ? (precompressed ?? undefined) : null
  const pack = () => (packed === undefined ? (packed = compressStatic(body)) : packed)
  return {
    body,
    get gzip() {
      return pack()?.gzip ?? null
    },
    get br() {
      return pack()?.br ?? null
    },
    type: TYPES[extname(urlPath)] ?? 'application/octet-stream',
    etag: `"${hash('sha256', body, 'base64url').slice(0, 22)}"`,
    cacheControl: cachePolicy(urlPath),
  }
}

/** `file.gz` and `file.br` beside `file`, when the build wrote both after the file itself. */
function siblings(full: string, mtimeMs: number): { gzip: Buffer; br: Buffer } | null {
  const fresh = (path: string) => existsSync(path) && statSync(path).mtimeMs >= mtimeMs
  if (!fresh(`${full}.gz`) || !fresh(`${full}.br`)) return null
  return { gzip: readFileSync(`${full}.gz`), br: readFileSync(`${full}.br`) }
}

/** Reads every file under `dir` into `into`, keyed by `prefix` + relative path; precompressed siblings are used, not served. */
export function loadDir(into: Assets, dir: string, prefix: string): Assets {
  if (!existsSync(dir)) return into
  const names = readdirSync(dir)
  for (const name of names) {
    if (name.startsWith('.')) continue
    if (/\.(gz|br)$/.test(name) && names.includes(name.slice(0, -3))) continue
    const full = join(dir, name)
    const st = statSync(full)
    if (st.isDirectory()) loadDir(into, full, `${prefix}${name}/`)
    else into.set(prefix + name, makeAsset(prefix + name, readFileSync(full), siblings(full, st.mtimeMs)))
  }
  return into
}
