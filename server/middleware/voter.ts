import type { Context } from 'hono'
import { ApiError } from '../errors.ts'

/** At least 128 bits, base64url: 22 characters or more. */
export const VOTER_TOKEN = /^[A-Za-z0-9_-]{22,128}$/

/** The reader's voter token from `X-Voxpop-Voter`, or null when absent; malformed is an error. */
export function optionalVoter(c: Context): string | null {
  const token = c.req.header('x-voxpop-voter')
  if (token === undefined || token === '') return null
  if (!VOTER_TOKEN.test(token)) throw new ApiError(400, 'voter_required', 'X-Voxpop-Voter must be a base64url token of at least 128 bits')
  return token
}

/** The reader's voter token; `400 voter_required` when missing or malformed. */
export function requireVoter(c: Context): string {
  const token = optionalVoter(c)
  if (token === null) throw new ApiError(400, 'voter_required', 'Send the reader token in the X-Voxpop-Voter header')
  return token
}
