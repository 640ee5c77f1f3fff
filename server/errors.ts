import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { randomId } from './lib/crypto.ts'

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

/** An error's answer: status, JSON body and extra header fields. */
export interface ErrorAnswer {
  status: ContentfulStatusCode
  body: ReturnType<typeof errorBody>
  headers?: Record<string, string>
}

/**
 * The answer to anything a request's handling threw — the app's `onError`, and the write lane's,
 * which answers votes and new comments without Hono: an `ApiError` as it says, Hono's own exceptions (an oversized
 * body) as `payload_too_large` or `bad_request`, and anything else as a `500` whose request id
 * is logged with the failure.
 */
export function errorAnswer(err: unknown, request: string, log: (message: string, detail?: unknown) => void): ErrorAnswer {
  if (err instanceof ApiError) return { status: err.status, body: errorBody(err.code, err.message, err.extra), headers: err.headers }
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? 'payload_too_large' : err.status < 500 ? 'bad_request' : 'internal_error'
    return { status: err.status, body: errorBody(code, err.message || 'Bad request') }
  }
  // An id to find this failure in the log by; made here because only failures need one.
  const id = randomId()
  log(`[voxpop] ${id} ${request} failed`, err)
  return { status: 500, body: errorBody('internal_error', `Something went wrong on our side (request ${id})`), headers: { 'X-Request-Id': id } }
}
