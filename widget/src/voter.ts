import { load, save } from './store.ts'

const KEY = 'voxpop:voter'
let memory = ''

/** This reader's anonymous token (128 random bits, base64url), kept in localStorage or memory. */
export function voterToken(): string {
  const token = load(KEY) || memory
  if (/^[\w-]{22,128}$/.test(token)) return token
  const bytes = String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))
  memory = btoa(bytes).replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''))
  save(KEY, memory)
  return memory
}
