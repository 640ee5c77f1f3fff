import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

/** Hard budget for everything the widget ships (loader, module chunks, CSS), gzip -9. */
export const WIDGET_BUDGET_BYTES = 12 * 1024
const DIST = 'dist/widget'

function shipped(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (name.startsWith('.')) return []
    return statSync(full).isDirectory() ? shipped(full) : /\.(js|css)$/.test(name) ? [full] : []
  })
}

describe('widget bundle', () => {
  it('ships the loader and at least one module chunk', () => {
    const files = shipped(DIST)
    expect(files).toContain(join(DIST, 'embed.js'))
    expect(files.filter((f) => f.includes('/assets/')).length).toBeGreaterThan(0)
  })

  it(`stays within ${WIDGET_BUDGET_BYTES} bytes gzip for all its JS and CSS together`, () => {
    const sizes = shipped(DIST).map((f) => ({ f, gz: gzipSync(readFileSync(f), { level: 9 }).length }))
    const total = sizes.reduce((a, s) => a + s.gz, 0)
    console.log(`[size] widget total ${total} B gzip: ${sizes.map((s) => `${s.f.replace(DIST + '/', '')} ${s.gz}`).join(', ')}`)
    expect(total).toBeLessThanOrEqual(WIDGET_BUDGET_BYTES)
  })

  it('keeps embed.js, the file every page loads first, under 1 KB gzip', () => {
    expect(gzipSync(readFileSync(join(DIST, 'embed.js')), { level: 9 }).length).toBeLessThan(1024)
  })
})
