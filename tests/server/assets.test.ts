import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync, gzipSync, brotliCompressSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { loadDir, makeAsset, type Assets } from '../../server/lib/assets.ts'
import { SECRET, freshDb } from './helpers.ts'

const SCRIPT = Buffer.from(`console.log(${JSON.stringify('Thăm dò ý kiến '.repeat(200))})\n`)

describe('static assets', () => {
  let dir: string | null = null
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = null
  })

  it('compresses a file without precompressed forms when first asked, to bytes that decode to the file', () => {
    const asset = makeAsset('/demo.js', SCRIPT)
    expect(brotliDecompressSync(asset.br!).equals(SCRIPT)).toBe(true)
    expect(gunzipSync(asset.gzip!).equals(SCRIPT)).toBe(true)
    expect(asset.br!.length).toBeLessThan(SCRIPT.length / 4)
    // Made once: the same bytes every time.
    expect(asset.br).toBe(asset.br)
  })

  it('uses the forms the build wrote, and leaves small or binary files uncompressed', () => {
    const given = { gzip: gzipSync(SCRIPT), br: brotliCompressSync(SCRIPT) }
    const asset = makeAsset('/embed.js', SCRIPT, given)
    expect(asset.br).toBe(given.br)
    expect(asset.gzip).toBe(given.gzip)
    expect(makeAsset('/tiny.js', Buffer.from('1')).br).toBeNull()
    expect(makeAsset('/logo.png', Buffer.alloc(5000)).gzip).toBeNull()
  })

  it('serves a loaded folder brotli or gzip as the client accepts, with one ETag for all forms', async () => {
    dir = mkdtempSync(join(tmpdir(), 'voxpop-assets-'))
    writeFileSync(join(dir, 'demo.js'), SCRIPT)
    const assets: Assets = loadDir(new Map(), dir, '/')
    const config = loadConfig({ VOXPOP_DB: ':memory:' })
    const app = createApp({ db: freshDb(), config, secret: SECRET, assets })
    const get = (encoding: string) => app.request('/demo.js', { headers: { 'Accept-Encoding': encoding } })

    const br = await get('gzip, deflate, br')
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).equals(SCRIPT)).toBe(true)
    const gzip = await get('gzip')
    expect(gzip.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).equals(SCRIPT)).toBe(true)
    const plain = await get('identity')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(Buffer.from(await plain.arrayBuffer()).equals(SCRIPT)).toBe(true)
    expect(new Set([br, gzip, plain].map((r) => r.headers.get('etag'))).size).toBe(1)
  })
})
