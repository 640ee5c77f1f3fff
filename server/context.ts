import type { Config } from './config.ts'
import type { Db } from './db/open.ts'
import type { Assets } from './lib/assets.ts'

/** Everything the app needs from outside; `createApp` never reads the environment itself. */
export interface AppDeps {
  db: Db
  /** Connection for the rate-limit counters (default `db`); main opens one without fsync per commit. */
  rateDb?: Db
  config: Readonly<Config>
  /** Key for every HMAC (voter and IP hashes, tokens). */
  secret: string
  /** Built front-end files to serve; none in most server tests. */
  assets?: Assets
  /** The clock, replaceable in tests. */
  now?: () => number
  /** Where unexpected errors are reported. */
  log?: (message: string, detail?: unknown) => void
}

/** Hono environment: per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    clientIp: string
    /** HMAC of `clientIp` for the rate-limit counters, made by the first limiter a request meets. */
    rateKey?: string
    /** The request's JSON body, parsed once by `jsonBody` (writes only) for `jsonInput`. */
    jsonBody?: unknown
  }
}
