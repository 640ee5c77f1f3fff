import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AppEnv } from '../context.ts'
import type { Asset, Assets } from '../lib/assets.ts'

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

function send(c: Context, path: string, asset: Asset) {
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
  const inm = c.req.header('if-none-match')
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === asset.etag)) {
    return c.body(null, 304, headers)
  }
  const { body, encoding } = encode(asset, c.req.header('accept-encoding') ?? '')
  if (encoding) headers['Content-Encoding'] = encoding
  headers['Content-Length'] = String(body.length)
  if (c.req.method === 'HEAD') return c.body(null, 200, headers)
  return c.body(new Uint8Array(body), 200, headers)
}

/** Serves the built widget, the admin console and the demo page from memory. */
export function staticRoutes(assets: Assets) {
  return new Hono<AppEnv>().on(['GET', 'HEAD'], '*', (c, next) => {
    let path = c.req.path
    if (path === '/admin') path = '/admin/'
    if (path.endsWith('/')) path += 'index.html'
    const asset = assets.get(path)
    return asset ? send(c, path, asset) : next()
  })
}
