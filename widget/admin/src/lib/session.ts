/** The admin session: kept in sessionStorage, so it ends with the tab and is never a cookie. */

const KEY = 'voxpop:admin-session'

export interface Session {
  token: string
  expiresAt: string
}

/** The stored session, or null when there is none or it has expired. */
export function loadSession(now = Date.now()): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY)
    if (!raw) return null
    const session = JSON.parse(raw) as Session
    if (typeof session.token !== 'string' || !(Date.parse(session.expiresAt) > now)) return null
    return session
  } catch {
    return null
  }
}

/** Keeps the session for this tab. */
export function saveSession(session: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session))
  } catch {
    // Storage may be blocked; the session then lasts until the page is reloaded.
  }
}

/** Forgets the session. */
export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY)
  } catch {
    // Nothing stored, nothing to forget.
  }
}
