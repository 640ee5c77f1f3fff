import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8')

interface AxeViolation {
  id: string
  impact: string | null
  nodes: { target: unknown }[]
}

/** Collects the console errors and uncaught exceptions of `page` from now on. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

/** Drops Chromium's own "Failed to load resource" lines, logged for any request answered with an error. */
export const withoutFailedLoads = (errors: string[]) => errors.filter((e) => !e.startsWith('Failed to load resource:'))

/** The element that has keyboard focus, looking into open shadow roots, and the poll it belongs to. */
export function focusedElement(page: Page) {
  return page.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    const root = el?.getRootNode()
    const host = root instanceof ShadowRoot ? root.host : null
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      type: el?.getAttribute('type') ?? '',
      text: el?.textContent?.trim() ?? '',
      poll: host?.getAttribute('data-voxpop-poll') ?? null,
    }
  })
}

/** Runs axe-core over the whole document (open shadow roots included); returns serious and critical violations. */
export async function seriousAxeViolations(page: Page) {
  await page.addScriptTag({ content: AXE })
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> } }
    const result = await axe.run(document)
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
