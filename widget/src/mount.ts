import { h as el, render } from 'preact'
import type { ComponentType } from 'preact'
import { resolveConfig, type ScriptInfo, type WidgetConfig } from './config.ts'
import css from './styles.css?inline'

const sheets = new Map<string, CSSStyleSheet>()

/** Adds CSS to a shadow root; a constructed sheet is not blocked by a host page's CSP. */
export function adoptStyles(root: ShadowRoot, text: string) {
  try {
    let sheet = sheets.get(text)
    if (!sheet) {
      sheet = new CSSStyleSheet()
      sheet.replaceSync(text)
      sheets.set(text, sheet)
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
  } catch {
    const style = document.createElement('style')
    style.textContent = text
    root.append(style)
  }
}

/** A themed box inside a fresh open shadow root on `host`; null when `host` was mounted before. */
export function attach(host: HTMLElement, script: ScriptInfo): { box: HTMLElement; config: WidgetConfig } | null {
  // A host that already has a shadow root was mounted before, or by a second copy of the script.
  if (host.shadowRoot) return null
  const config = resolveConfig(script, host.dataset, document.documentElement.lang)
  const root = host.attachShadow({ mode: 'open' })
  adoptStyles(root, css)
  const box = document.createElement('div')
  box.className = `vx ${config.theme}`
  box.lang = config.lang
  root.append(box)
  return { box, config }
}

/** Renders `component` into `box` with the resolved config. */
export function show<P>(box: HTMLElement, component: ComponentType<P & { config: WidgetConfig }>, props: P & { config: WidgetConfig }) {
  render(el(component as ComponentType<P & { config: WidgetConfig }>, props), box)
}
