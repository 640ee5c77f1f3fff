import { Hono } from 'hono'
import type { AppEnv } from '../context.ts'
import type { Asset, Assets } from '../lib/assets.ts'
import type { LaneReply } from '../middleware/answer-lane.ts'

const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ')

function pageHeaders(path: string): Record<string, string> {
  const admin = path.startsWith('/admin')
  return {
    'Content-Security-Policy': `${PAGE_CSP}; frame-ancestors ${admin ? "'none'" : "'self'"}`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    ...(admin ? { 'X-Frame-Options': 'DENY' } : {}),
  }
}

/** Picks the smallest encoding the client accepts. */
function encode(asset: Asset, accept: string): { body: Buffer; encoding: string | null } {
  if (asset.br && /\bbr\b/.test(accept)) return { body: asset.br, encoding: 'br' }
  if (asset.gzip && /\bgzip\b/.test(accept)) return { body: asset.gzip, encoding: 'gzip' }
  return { body: asset.body, encoding: null }
}

/** The asset a request path names (`/` and `/admin` name their index pages), with the path it is known by. */
export function findAsset(assets: Assets, requestPath: string): { path: string; asset: Asset } | null {
  let path = requestPath
  if (path === '/admin') path = '/admin/'
  if (path.endsWith('/')) path += 'index.html'
  const asset = assets.get(path)
  return asset ? { path, asset } : null
}

/**
 * The whole answer to a `GET` of an asset (a `HEAD` sends its headers without the body): the
 * encoding the client accepts, `304` to a matching `If-None-Match`. Also sent by the Node layer
 * (`server/listen.ts`) without going through Hono.
 */
export function assetReply(path: string, asset: Asset, header: (name: string) => string | undefined): LaneReply {
  const headers: Record<string, string> = {
    'Content-Type': asset.type,
    'Cache-Control': asset.cacheControl,
    ETag: asset.etag,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
  }
  if (asset.type.startsWith('text/html')) Object.assign(headers, pageHeaders(path))
  else {
    // The widget is loaded by other sites' pages, and its chunks as modules, which need CORS.
    headers['Access-Control-Allow-Origin'] = '*'
    headers['Cross-Origin-Resource-Policy'] = 'cross-origin'
  }
  const inm = header('if-none-match')
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === asset.etag)) return { status: 304, headers, body: null }
  const { body, encoding } = encode(asset, header('accept-encoding') ?? '')
  if (encoding) headers['Content-Encoding'] = encoding
  headers['Content-Length'] = String(body.length)
  return { status: 200, headers, body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) }
}

/** Serves the built widget, the admin console and the demo page from memory. */
export function staticRoutes(assets: Assets) {
  return new Hono<AppEnv>().on(['GET', 'HEAD'], '*', (c, next) => {
    const found = findAsset(assets, c.req.path)
    if (!found) return next()
    const { status, headers, body } = assetReply(found.path, found.asset, (name) => c.req.header(name))
    return body && c.req.method !== 'HEAD' ? c.body(body, 200, headers) : c.body(null, status, headers)
  })
}
