import type { MiddlewareHandler } from 'hono'
import * as z from 'zod'
import type { AppEnv } from '../context.ts'
import { ApiError } from '../errors.ts'

/** A `limit` query parameter: a whole number from 1 to `max`, given as a string. */
export function limitParam(max: number) {
  const range = `must be from 1 to ${max}`
  return z
    .string()
    .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().min(1, range).max(max, range))
}

/** Parses `value` with `schema`, turning the first problem into a 400 with `code` and a field path. */
export function parseOr<S extends z.ZodType>(schema: S, value: unknown, code: string): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const field = issue.path.length ? issue.path.join('.') : 'body'
  throw new ApiError(400, code, `${field}: ${issue.message}`)
}

/**
 * Validates a write's JSON body with `schema` for `c.req.valid('json')`, as Hono's
 * `validator('json', …)` would, from the value `jsonBody` already parsed: Hono's validator reads
 * the text again, checks the type again and parses it a second time.
 */
export function jsonInput<S extends z.ZodType>(
  schema: S,
  code: string,
): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return function jsonInput(c, next) {
    c.req.addValidatedData('json', parseOr(schema, c.get('jsonBody'), code) as {})
    return next()
  }
}
