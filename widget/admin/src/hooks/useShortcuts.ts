import { useEffect, useRef } from 'preact/hooks'

/** Keys typed into a form control are text, never shortcuts. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target instanceof HTMLInputElement) return !/^(checkbox|radio|button|submit|reset)$/.test(target.type)
  return target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'
}

/** Calls `handlers[key]` for single-key shortcuts (no modifier, not while typing in a field). */
export function useShortcuts(handlers: Record<string, () => void>): void {
  const ref = useRef(handlers)
  ref.current = handlers
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return
      const handler = ref.current[event.key.toLowerCase()]
      if (!handler) return
      event.preventDefault()
      handler()
    }
    addEventListener('keydown', onKey)
    return () => removeEventListener('keydown', onKey)
  }, [])
}
