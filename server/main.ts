import { fileURLToPath } from 'node:url'
import { createService } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { startCheckpointer, type Checkpointer } from './db/checkpointer.ts'
import { migrate } from './db/migrate.ts'
import { openDatabase } from './db/open.ts'
import { createPollStore } from './db/polls.ts'
import { openRateLimitDb } from './db/rate-limits.ts'
import { seedDemoPoll } from './db/seed.ts'
import { resolveSecret } from './db/settings.ts'
import { loadDir } from './lib/assets.ts'
import { listen } from './listen.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

function fail(message: string): never {
  console.error(`voxpop: ${message}`)
  process.exit(1)
}

let config
try {
  config = loadConfig()
} catch (error) {
  if (error instanceof ConfigError) fail(error.message)
  throw error
}

const db = openDatabase(config.dbPath, config.dbSync)
// Named from the root, not from migrate.ts: the same lines also run bundled as dist/server.mjs.
migrate(db, `${root}server/db/migrations/`)
const secret = resolveSecret(db, config.secret)
if (seedDemoPoll(createPollStore(db), Date.now())) console.log('voxpop: created the demo poll "demo"')

const assets = new Map()
loadDir(assets, `${root}demo`, '/')
loadDir(assets, `${root}dist/widget`, '/')
loadDir(assets, `${root}dist/admin`, '/admin/')
if (!assets.has('/embed.js')) console.warn('voxpop: dist/widget/embed.js is missing: run `npm run build` first')

const rateDb = openRateLimitDb(db)
const service = createService({ db, rateDb, config, secret, assets })

if (config.adminPassword === null) console.log('voxpop: admin API disabled (set VOXPOP_ADMIN_PASSWORD to enable it)')
if (config.allowedOrigins === null) console.warn('voxpop: VOXPOP_ALLOWED_ORIGINS is not set: any website may embed and write')

// Started once the server listens: a worker thread's start-up would otherwise delay the first answer.
let checkpointer: Checkpointer | null = null
const server = listen(service, { port: config.port, hostname: config.host }, (info) => {
  if (!db.memory) setTimeout(() => (checkpointer ??= stopping ? null : startCheckpointer(db, config.dbSync)), 1000).unref()
  const host = info.address.includes(':') ? `[${info.address}]` : info.address
  console.log(`voxpop: listening on http://${host === '127.0.0.1' ? 'localhost' : host}:${info.port} (database ${config.dbPath})`)
})

server.on('error', (error) => fail(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`))

let stopping = false
function stop(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`voxpop: ${signal} received, finishing requests in flight`)
  // close() stops accepting connections and calls back once in-flight requests are answered.
  server.close(() => {
    void (checkpointer?.stop() ?? Promise.resolve()).finally(() => {
      if (rateDb !== db) rateDb.close()
      db.close()
      process.exit(0)
    })
  })
  if ('closeIdleConnections' in server) server.closeIdleConnections()
  setTimeout(() => {
    if (rateDb !== db) rateDb.close()
    db.close()
    process.exit(0)
  }, 10_000).unref()
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
