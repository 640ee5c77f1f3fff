import { h, render } from 'preact'
import type { ComponentType } from 'preact'
import { resolveConfig, type ScriptInfo, type WidgetConfig } from './config.ts'
import css from './styles.css?inline'

let sheet: CSSStyleSheet | null = null

/** Adds the widget CSS to a shadow root; a constructed sheet is not blocked by a host page's CSP. */
function adoptStyles(root: ShadowRoot) {
  try {
    sheet ??= new CSSStyleSheet()
    if (!sheet.cssRules.length) sheet.replaceSync(css)
    root.adoptedStyleSheets = [sheet]
  } catch {
    const style = document.createElement('style')
    style.textContent = css
    root.append(style)
  }
}

/**
 * Renders `component` into an open shadow root on `host`, once: a host that already has a
 * shadow root (mounted before, or by a second copy of the script) is left alone.
 */
export function mountInShadow<P>(host: HTMLElement, script: ScriptInfo, component: ComponentType<P & { config: WidgetConfig }>, props: P): boolean {
  if (host.shadowRoot) return false
  const config = resolveConfig(script, host.dataset, document.documentElement.lang)
  const root = host.attachShadow({ mode: 'open' })
  adoptStyles(root)
  const box = document.createElement('div')
  box.className = `vx ${config.theme}`
  box.lang = config.lang
  root.append(box)
  render(h(component as ComponentType<P & { config: WidgetConfig }>, { ...props, config }), box)
  return true
}
