import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

/** The hard budget (issues 2 and 3): all JS + CSS a page downloads for a poll, or a poll + comments, gzip -9. */
const PAGE_BUDGET = 12 * 1024
const DIST = 'dist/widget/'

type Manifest = Record<string, { file: string; imports?: string[] }>
const manifest = JSON.parse(readFileSync(`${DIST}.vite/manifest.json`, 'utf8')) as Manifest
const gz = (file: string) => gzipSync(readFileSync(DIST + file), { level: 9 }).length

/** The files a page loads for `entries` (with their static imports), once each. */
function closure(entries: string[], seen = new Set<string>()): Set<string> {
  for (const key of entries) {
    const chunk = manifest[key]
    if (!chunk) throw new Error(`${key} is missing from the widget manifest`)
    if (seen.has(chunk.file)) continue
    seen.add(chunk.file)
    closure(chunk.imports ?? [], seen)
  }
  return seen
}

/** Gzip bytes a page downloads: embed.js, the widget module, one language, and optionally comments. */
function pageBytes(lang: 'vi' | 'en', comments: boolean): number {
  const entries = ['widget/src/main.ts', `widget/src/i18n/${lang}.ts`]
  if (comments) entries.push('widget/src/components/Comments.tsx')
  const files = ['embed.js', ...closure(entries)]
  const total = files.reduce((a, f) => a + gz(f), 0)
  console.log(`[size] ${lang} page, poll${comments ? ' + comments' : ''}: ${total} B gzip (${files.join(', ')})`)
  return total
}

describe('widget bundle size', () => {
  it('has a loader that imports the hashed module and both language chunks', () => {
    const loader = readFileSync(`${DIST}embed.js`, 'utf8')
    for (const key of ['widget/src/main.ts', 'widget/src/i18n/vi.ts', 'widget/src/i18n/en.ts']) {
      expect(loader).toContain(manifest[key]!.file)
    }
  })

  it(`keeps a poll page within ${PAGE_BUDGET} bytes gzip in either language`, () => {
    expect(pageBytes('vi', false)).toBeLessThanOrEqual(PAGE_BUDGET)
    expect(pageBytes('en', false)).toBeLessThanOrEqual(PAGE_BUDGET)
  })

  it(`keeps a poll + comments page within the same ${PAGE_BUDGET} bytes gzip in either language`, () => {
    expect(pageBytes('vi', true)).toBeLessThanOrEqual(PAGE_BUDGET)
    expect(pageBytes('en', true)).toBeLessThanOrEqual(PAGE_BUDGET)
  })

  it('keeps embed.js, the file every page loads first, under 1 KB gzip', () => {
    expect(gz('embed.js')).toBeLessThan(1024)
  })
})
