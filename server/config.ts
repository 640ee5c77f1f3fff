/** Runtime configuration, parsed once from the environment into a frozen object. */

export interface RateLimit {
  count: number
  windowSeconds: number
}

export interface Config {
  port: number
  host: string
  dbPath: string
  /** SQLite `synchronous` for the main database: `normal` survives a process crash, `full` also a power cut. */
  dbSync: 'normal' | 'full'
  adminPassword: string | null
  /** null means: generate one and keep it in the database. */
  secret: string | null
  moderation: 'pre' | 'post'
  editWindowSeconds: number
  maxCommentChars: number
  timezone: string
  allowedOrigins: string[] | null
  trustProxy: number | string[] | null
  rate: { vote: RateLimit; comment: RateLimit; like: RateLimit; login: RateLimit; global: RateLimit }
}

/** Thrown for a bad environment value; main prints its message and exits non-zero. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export const DEFAULT_RATES: Config['rate'] = {
  vote: { count: 60, windowSeconds: 60 },
  comment: { count: 60, windowSeconds: 600 },
  like: { count: 120, windowSeconds: 60 },
  // Counts failed sign-ins only: 5 wrong passwords lock the client out for the rest of 15 minutes.
  login: { count: 5, windowSeconds: 900 },
  global: { count: 1200, windowSeconds: 60 },
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`)
  const value = Number(raw)
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`)
  return value
}

function rate(env: NodeJS.ProcessEnv, name: string, fallback: RateLimit): RateLimit {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*s\s*$/.exec(raw)
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new ConfigError(`${name} must look like COUNT/SECONDSs (e.g. 20/60s), got "${raw}"`)
  return { count: Number(m[1]), windowSeconds: Number(m[2]) }
}

function origins(raw: string | undefined): string[] | null {
  if (raw === undefined || raw.trim() === '') return null
  return raw.split(',').map((item) => {
    const value = item.trim()
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw new ConfigError(`VOXPOP_ALLOWED_ORIGINS: "${value}" is not an origin like https://bao.example`)
    }
    if (!/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, '')) {
      throw new ConfigError(`VOXPOP_ALLOWED_ORIGINS: "${value}" is not an origin like https://bao.example`)
    }
    return url.origin
  })
}

function trustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined || raw.trim() === '') return null
  const value = raw.trim()
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    if (hops < 1 || hops > 10) throw new ConfigError(`VOXPOP_TRUST_PROXY must be 1..10 hops or a list of addresses, got "${raw}"`)
    return hops
  }
  const list = value.split(',').map((s) => s.trim()).filter(Boolean)
  if (list.some((a) => !/^[0-9a-fA-F:.]+$/.test(a))) throw new ConfigError(`VOXPOP_TRUST_PROXY must be a hop count or a comma list of IP addresses, got "${raw}"`)
  return list
}

const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh'

function timezone(raw: string | undefined): string {
  const value = raw?.trim() || DEFAULT_TIMEZONE
  // Checking a zone loads ICU's time-zone data (30 ms of a start here): only one from outside needs it.
  if (value === DEFAULT_TIMEZONE) return value
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
  } catch {
    throw new ConfigError(`VOXPOP_TIMEZONE is not an IANA time zone: "${value}"`)
  }
  return value
}

/** Reads and validates every VOXPOP_* variable (and PORT, HOST); throws ConfigError on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const moderation = env.VOXPOP_MODERATION?.trim() || 'pre'
  if (moderation !== 'pre' && moderation !== 'post') throw new ConfigError(`VOXPOP_MODERATION must be "pre" or "post", got "${moderation}"`)
  const host = env.HOST?.trim() || '127.0.0.1'
  const dbPath = env.VOXPOP_DB?.trim() || './data/voxpop.sqlite'
  const dbSync = env.VOXPOP_DB_SYNC?.trim() || 'normal'
  if (dbSync !== 'normal' && dbSync !== 'full') throw new ConfigError(`VOXPOP_DB_SYNC must be "normal" or "full", got "${dbSync}"`)
  const secret = env.VOXPOP_SECRET ?? null
  if (secret !== null && secret.length < 16) throw new ConfigError('VOXPOP_SECRET must be at least 16 characters')
  const password = env.VOXPOP_ADMIN_PASSWORD ?? null
  if (password !== null && password.length === 0) throw new ConfigError('VOXPOP_ADMIN_PASSWORD is set but empty; unset it to disable the admin API')
  return Object.freeze({
    port: integer(env, 'PORT', 8787, 0, 65535),
    host,
    dbPath,
    dbSync,
    adminPassword: password,
    secret,
    moderation,
    editWindowSeconds: integer(env, 'VOXPOP_EDIT_WINDOW_S', 900, 0, 86400 * 30),
    maxCommentChars: integer(env, 'VOXPOP_MAX_COMMENT_CHARS', 5000, 1, 100000),
    timezone: timezone(env.VOXPOP_TIMEZONE),
    allowedOrigins: origins(env.VOXPOP_ALLOWED_ORIGINS),
    trustProxy: trustProxy(env.VOXPOP_TRUST_PROXY),
    rate: {
      vote: rate(env, 'VOXPOP_RATE_VOTE', DEFAULT_RATES.vote),
      comment: rate(env, 'VOXPOP_RATE_COMMENT', DEFAULT_RATES.comment),
      like: rate(env, 'VOXPOP_RATE_LIKE', DEFAULT_RATES.like),
      login: rate(env, 'VOXPOP_RATE_LOGIN', DEFAULT_RATES.login),
      global: rate(env, 'VOXPOP_RATE_GLOBAL', DEFAULT_RATES.global),
    },
  })
}
