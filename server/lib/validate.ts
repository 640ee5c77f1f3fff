import type { z } from 'zod'
import { ApiError } from '../errors.ts'

/** Parses `value` with `schema`, turning the first problem into a 400 with `code` and a field path. */
export function parseOr<S extends z.ZodType>(schema: S, value: unknown, code: string): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const field = issue.path.length ? issue.path.join('.') : 'body'
  throw new ApiError(400, code, `${field}: ${issue.message}`)
}
