/** localStorage that never throws: privacy modes and sandboxed frames block it, and then it is skipped. */
export function load(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

/** Saves a value when storage allows; otherwise it lasts for this page view only. */
export function save(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Full or blocked storage.
  }
}
