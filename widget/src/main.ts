import { Poll } from './components/Poll.tsx'
import type { ScriptInfo } from './config.ts'
import { mountInShadow } from './mount.ts'

/** Mounts every poll container on the page that is not mounted yet; returns how many it mounted. */
export function scan(script: ScriptInfo): number {
  let mounted = 0
  for (const host of document.querySelectorAll<HTMLElement>('[data-voxpop-poll]')) {
    const id = host.dataset.voxpopPoll?.trim()
    if (!id) {
      console.error('[voxpop] a data-voxpop-poll container has no poll id', host)
      continue
    }
    if (mountInShadow(host, script, Poll, { id })) mounted++
  }
  return mounted
}
