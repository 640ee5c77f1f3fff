/** Reader-facing languages. */
export type Lang = 'vi' | 'en'
export type Theme = 'light' | 'dark' | 'auto'

/** Everything a mounted widget needs to know, resolved from attributes. */
export interface WidgetConfig {
  api: string
  lang: Lang
  theme: Theme
}

/** The attributes the loader reads from its own `<script>` tag. */
export interface ScriptInfo {
  src: string
  api?: string | undefined
  lang?: string | undefined
  theme?: string | undefined
}

function pickLang(...candidates: (string | null | undefined)[]): Lang {
  for (const c of candidates) {
    const l = c?.trim().toLowerCase().slice(0, 2)
    if (l === 'vi' || l === 'en') return l
  }
  return 'vi'
}

/**
 * Resolves one container's config: `data-*` on the container, then on the script tag, then the
 * page (`<html lang>`), then defaults (Vietnamese, auto theme, the script's own origin as API).
 */
export function resolveConfig(script: ScriptInfo, container: DOMStringMap, pageLang: string | null): WidgetConfig {
  const api = (script.api || new URL(script.src).origin).replace(/\/+$/, '')
  const theme = container.theme || script.theme
  return {
    api,
    lang: container.lang ? pickLang(container.lang) : script.lang ? pickLang(script.lang) : pickLang(pageLang),
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
  }
}
