/**
 * The three classes of rate-limiter-flexible that voxpop uses, each from its own file. The
 * package's index requires every store it supports (Redis, Mongo, Postgres, DynamoDB, the
 * `cluster` module…): 100 KB of dist/server.mjs that every start compiled for nothing.
 * Types still come from the package's own declarations (`rate-limiter-flexible-files.d.ts`).
 */
export { default as RateLimiterMemory } from 'rate-limiter-flexible/lib/RateLimiterMemory.js'
export { default as RateLimiterRes } from 'rate-limiter-flexible/lib/RateLimiterRes.js'
export { default as RateLimiterSQLite } from 'rate-limiter-flexible/lib/RateLimiterSQLite.js'
export type { RateLimiterAbstract } from 'rate-limiter-flexible'
