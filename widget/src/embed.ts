/**
 * The one script a site adds. Kept tiny and short-cached: it reads its own tag, then loads the
 * content-hashed widget module only when the page has something to mount.
 */
import type { ScriptInfo } from './config.ts'

declare const __VOXPOP_MAIN__: string
declare const __VOXPOP_DICTS__: Record<string, string>

interface VoxpopGlobal {
  scan: () => Promise<number>
  version: string
}

type Main = typeof import('./main.ts')

const SELECTOR = '[data-voxpop-poll],[data-voxpop-comments],[data-voxpop-count]'
// document.currentScript is only set while this file first runs, so it is read before anything else.
const tag = document.currentScript as HTMLScriptElement | null
const w = window as unknown as { voxpop?: VoxpopGlobal }

if (w.voxpop) {
  // A second copy of the script: mount whatever is new, never anything twice.
  void w.voxpop.scan()
} else {
  if (!tag?.src) throw new Error('[voxpop] embed.js must be loaded with <script src="…/embed.js">')
  const script: ScriptInfo = { ...tag.dataset, src: tag.src }
  let main: Promise<Main> | undefined
  const scan = async () => {
    if (!document.querySelector(SELECTOR)) return 0
    if (!main) {
      // Fetch the page's likely dictionary alongside the module instead of after it.
      const dicts = __VOXPOP_DICTS__
      const lang = (script.lang || document.documentElement.lang).slice(0, 2).toLowerCase()
      import(/* @vite-ignore */ new URL(dicts[lang] ?? dicts.vi!, tag.src).href).catch(() => {})
      main = import(/* @vite-ignore */ new URL(__VOXPOP_MAIN__, tag.src).href)
    }
    return (await main).scan(script)
  }
  const report = (e: unknown) => console.error('[voxpop] could not load the widget', e)
  w.voxpop = { scan, version: '1' }
  scan().catch(report)
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => scan().catch(report))
}
