import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** The one error type the API throws; `onError` turns it into the JSON envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Extra top-level fields sent beside `error` (e.g. the poll on `already_voted`). */
    readonly extra?: Record<string, unknown>,
    /** Extra response headers (e.g. `Retry-After`). */
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The JSON body of every error answer. */
export function errorBody(code: string, message: string, extra?: Record<string, unknown>) {
  return { error: { code, message }, ...extra }
}
