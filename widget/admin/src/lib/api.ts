/** A failed admin request: the API's error code (or `network`) and its message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** What the console needs to talk to the admin API. */
export interface AdminApi {
  /** A JSON request with the bearer token; resolves with the parsed body (null for 204). */
  request<T>(method: string, path: string, body?: unknown): Promise<T>
  /** Downloads a file from the API (bearer token, so never a plain link) under the server's file name. */
  download(path: string): Promise<void>
}

/** Reads the file name of an attachment, preferring the UTF-8 `filename*` form. */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header)
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!)
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header)
  return plain?.[1] || fallback
}

async function failure(res: Response): Promise<ApiFailure> {
  const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null
  return new ApiFailure(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? res.statusText)
}

/**
 * The admin API client. Every 401 (the session expired or was revoked) calls `onUnauthorized`,
 * which sends the editor back to the sign-in page.
 */
export function createAdminApi(token: () => string | null, onUnauthorized: (code: string) => void): AdminApi {
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {}
    const bearer = token()
    if (bearer) headers.Authorization = `Bearer ${bearer}`
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    let res: Response
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' })
    } catch {
      throw new ApiFailure(0, 'network', 'network')
    }
    if (res.ok) return res
    const error = await failure(res)
    if (res.status === 401) onUnauthorized(error.code)
    throw error
  }

  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await send(method, path, body)
      return (res.status === 204 ? null : await res.json()) as T
    },
    async download(path: string): Promise<void> {
      const res = await send('GET', path)
      const name = attachmentName(res.headers.get('content-disposition'), 'export.csv')
      const url = URL.createObjectURL(await res.blob())
      const link = document.createElement('a')
      link.href = url
      link.download = name
      link.hidden = true
      document.body.append(link)
      link.click()
      link.remove()
      // The click has handed the blob to the browser's download; free it after that turn.
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
    },
  }
}

/** Signs in with the admin password; a wrong one rejects with `invalid_credentials`. */
export async function openSession(password: string): Promise<{ token: string; expiresAt: string }> {
  let res: Response
  try {
    res = await fetch('/api/admin/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password }),
      cache: 'no-store',
    })
  } catch {
    throw new ApiFailure(0, 'network', 'network')
  }
  if (!res.ok) throw await failure(res)
  return (await res.json()) as { token: string; expiresAt: string }
}

/** Ends a session on the server; failures are ignored (the token is forgotten locally anyway). */
export async function closeSession(token: string): Promise<void> {
  try {
    await fetch('/api/admin/session', { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } })
  } catch {
    // Offline: the session still expires on the server by itself.
  }
}
