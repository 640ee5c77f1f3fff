const KEY = 'voxpop:voter'
let memory: string | null = null

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    // Blocked storage (privacy modes, sandboxed frames) throws on access.
    return null
  }
}

function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** This reader's anonymous token (128 random bits, base64url), kept in localStorage or memory. */
export function voterToken(): string {
  const store = storage()
  let token: string | null = null
  try {
    token = store?.getItem(KEY) ?? memory
  } catch {
    token = memory
  }
  if (token && /^[A-Za-z0-9_-]{22,128}$/.test(token)) return token
  token = newToken()
  memory = token
  try {
    store?.setItem(KEY, token)
  } catch {
    // Full or blocked storage: the token lives for this page view only.
  }
  return token
}
