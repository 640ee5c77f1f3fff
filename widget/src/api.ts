import { knownToken, voterToken } from './voter.ts'

/** A failed request: an API error code (or `network`), with seconds to wait on `rate_limited`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    readonly retryAfter?: number,
    readonly body?: Record<string, unknown>,
  ) {
    super(code)
  }
}

/** What a component keeps of a failure: the API code (or `network`, `other`) and the wait. */
export interface Failure {
  code: string
  retryAfter?: number | undefined
}

/** Any thrown error as a Failure; errors that are not ApiFailures become `other`. */
export const toFailure = (e: unknown): Failure => (e instanceof ApiFailure ? e : { code: 'other' })

/**
 * Calls the voxpop API with the reader's token; every failure becomes an ApiFailure. A read sends
 * the token only once the reader has one (after a first vote, comment or like): until then the
 * answer is the one every reader gets, which the server and any CDN can share.
 */
export async function request<T>(api: string, path: string, method = 'GET', body?: unknown, extra?: Record<string, string>): Promise<T> {
  const token = method === 'GET' ? knownToken() : voterToken()
  const headers: Record<string, string> = token ? { 'X-Voxpop-Voter': token, ...extra } : { ...extra }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let res: Response
  try {
    // no-cache: the browser asks each time (a 304 when nothing changed), so a reload shows new
    // comments at once, while a CDN may still keep the public answers for a few seconds.
    res = await fetch(api + path, { method, headers, body: JSON.stringify(body), cache: 'no-cache' })
  } catch {
    throw new ApiFailure('network')
  }
  // A 204 (or any body that is not JSON) reads as null.
  const data = await res.json().catch(() => null)
  if (res.ok) return data as T
  const retry = Number(res.headers.get('Retry-After'))
  throw new ApiFailure(data?.error?.code ?? 'http_' + res.status, retry > 0 ? retry : undefined, data ?? undefined)
}
