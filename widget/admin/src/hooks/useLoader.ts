import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { ApiFailure } from '../lib/api.ts'

/** A loaded value, the last failure, and a way to load again now. */
export interface Loaded<T> {
  data: T | null
  error: ApiFailure | null
  reload: () => Promise<void>
}

/**
 * Loads `load()` when `key` changes and, with `refreshMs`, again every `refreshMs` while the tab
 * is visible (never two requests at once). The last good value stays shown while a refresh fails.
 */
export function useLoader<T>(load: () => Promise<T>, key: string, refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<ApiFailure | null>(null)
  const loadRef = useRef(load)
  loadRef.current = load
  const busy = useRef(false)
  const current = useRef(key)

  const reload = useCallback(async () => {
    if (busy.current) return
    busy.current = true
    const forKey = current.current
    try {
      const value = await loadRef.current()
      if (forKey === current.current) {
        setData(value)
        setError(null)
      }
    } catch (e) {
      if (forKey === current.current) setError(e instanceof ApiFailure ? e : new ApiFailure(0, 'other', String(e)))
    } finally {
      busy.current = false
    }
  }, [])

  useEffect(() => {
    current.current = key
    busy.current = false
    setData(null)
    setError(null)
    void reload()
    if (!refreshMs) return
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload()
    }, refreshMs)
    return () => clearInterval(timer)
  }, [key, refreshMs])

  return { data, error, reload }
}
