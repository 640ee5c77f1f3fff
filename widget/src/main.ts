import { Poll } from './components/Poll.tsx'
import { resolveConfig, type ScriptInfo, type WidgetConfig } from './config.ts'
import { adoptStyles, attach, show } from './mount.ts'
import { dict, loadDict } from './i18n/translate.ts'

/** The thread key: data-page, else the canonical URL, else this URL without query and hash. */
export function threadKey(host: HTMLElement): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href
  return host.dataset.page?.trim() || canonical || location.origin + location.pathname
}

let observer: IntersectionObserver | undefined
const pending = new Map<Element, () => void>()

/** Comments load their code and data only when their container comes near the viewport. */
function mountComments(host: HTMLElement, box: HTMLElement, config: WidgetConfig) {
  box.classList.add('wait')
  box.textContent = dict(config.lang).loadingComments
  const load = () =>
    import('./components/Comments.tsx').then(
      ({ Comments, commentsCss }) => {
        adoptStyles(box.getRootNode() as ShadowRoot, commentsCss)
        box.classList.remove('wait')
        box.textContent = ''
        show(box, Comments, { config, page: threadKey(host), title: host.dataset.title || document.title })
      },
      (e) => console.error('[voxpop] could not load comments', e),
    )
  if (!('IntersectionObserver' in window)) return void load()
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue
        observer!.unobserve(e.target)
        pending.get(e.target)?.()
        pending.delete(e.target)
      }
    },
    { rootMargin: '600px 0px' },
  )
  pending.set(host, load)
  observer.observe(host)
}

const counted = new WeakSet<Element>()

/** Fills every [data-voxpop-count] element with its thread's approved count, in one request. */
async function fillCounts(api: string) {
  const els = [...document.querySelectorAll<HTMLElement>('[data-voxpop-count]')].filter((el) => !counted.has(el))
  const keys = [...new Set(els.map((el) => el.dataset.voxpopCount!.trim()).filter(Boolean))].slice(0, 100)
  if (!keys.length) return
  els.forEach((el) => counted.add(el))
  try {
    const res = await fetch(`${api}/api/counts?${keys.map((k) => `page=${encodeURIComponent(k)}`).join('&')}`)
    const counts = (await res.json()) as Record<string, number>
    for (const el of els) {
      const n = counts[el.dataset.voxpopCount!.trim()]
      if (typeof n === 'number') el.textContent = String(n)
    }
  } catch (e) {
    els.forEach((el) => counted.delete(el))
    console.error('[voxpop] could not load comment counts', e)
  }
}

/**
 * Mounts every poll and comment container not mounted yet, and fills comment counts; resolves to
 * how many it mounted. Containers are claimed synchronously, so overlapping scans never mount twice.
 */
export async function scan(script: ScriptInfo): Promise<number> {
  const claimed: [host: HTMLElement, slot: NonNullable<ReturnType<typeof attach>>, poll: string | null][] = []
  for (const host of document.querySelectorAll<HTMLElement>('[data-voxpop-poll],[data-voxpop-comments]')) {
    const poll = host.dataset.voxpopPoll
    if (poll !== undefined && !poll.trim()) {
      console.error('[voxpop] a data-voxpop-poll container has no poll id', host)
      continue
    }
    const slot = attach(host, script)
    if (slot) claimed.push([host, slot, poll?.trim() ?? null])
  }
  void fillCounts(resolveConfig(script, {}, null).api)
  await Promise.all(claimed.map(([, s]) => loadDict(s.config.lang)))
  for (const [host, { box, config }, poll] of claimed) {
    if (poll) show(box, Poll, { id: poll, config })
    else mountComments(host, box, config)
  }
  return claimed.length
}
