import { load, save } from './store.ts'

const KEY = 'voxpop:voter'
let memory = ''

/** The token this reader already has, or '' before their first vote, comment or like. */
export function knownToken(): string {
  const token = load(KEY) || memory
  return /^[\w-]{22,128}$/.test(token) ? token : ''
}

/** This reader's anonymous token (128 random bits, base64url), kept in localStorage or memory; made on first use. */
export function voterToken(): string {
  const token = knownToken()
  if (token) return token
  const bytes = String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))
  memory = btoa(bytes).replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''))
  save(KEY, memory)
  return memory
}
