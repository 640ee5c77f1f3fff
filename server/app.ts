import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import type { AppDeps, AppEnv } from './context.ts'
import { createPollStore } from './db/polls.ts'
import { createSessionStore } from './db/sessions.ts'
import { ApiError, errorBody } from './errors.ts'
import { adminAuth } from './middleware/admin-auth.ts'
import { clientIp } from './middleware/client-ip.ts'
import { jsonBody } from './middleware/json-body.ts'
import { originGuard } from './middleware/origin-guard.ts'
import { adminPollRoutes } from './routes/admin-polls.ts'
import { adminSessionRoutes } from './routes/admin-session.ts'
import { pollRoutes } from './routes/polls.ts'
import { staticRoutes } from './routes/static.ts'

/** Builds the whole HTTP app from its dependencies; never listens and never reads the environment. */
export function createApp(deps: AppDeps) {
  const { db, config } = deps
  const now = deps.now ?? Date.now
  const log = deps.log ?? ((message, detail) => console.error(message, detail))
  const polls = createPollStore(db)
  const sessions = createSessionStore(db)

  const admin = new Hono<AppEnv>()
    .route('/session', adminSessionRoutes({ ...deps, sessions }))
    .use('*', adminAuth(sessions, config.adminPassword !== null, now))
    .route('/polls', adminPollRoutes({ ...deps, polls }))

  const app = new Hono<AppEnv>()
  app.use('*', requestId())
  app.use('*', clientIp(config.trustProxy))
  app.use(
    '/api/*',
    cors({
      origin: (origin) => (config.allowedOrigins === null ? '*' : config.allowedOrigins.includes(origin) ? origin : null),
      allowHeaders: ['Content-Type', 'X-Voxpop-Voter', 'X-Voxpop-Edit-Token', 'Authorization'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposeHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'ETag'],
      maxAge: 86400,
    }),
  )
  app.use('/api/*', originGuard(config.allowedOrigins))
  app.use('/api/*', jsonBody())
  app.get('/healthz', (c) => {
    db.prepare('SELECT 1').get()
    return c.json({ ok: true })
  })
  app.route('/api/polls', pollRoutes({ ...deps, polls }))
  app.route('/api/admin', admin)
  if (deps.assets) app.route('/', staticRoutes(deps.assets))

  app.notFound((c) => c.json(errorBody('not_found', `Nothing at ${c.req.method} ${c.req.path}`), 404))
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json(errorBody(err.code, err.message, err.extra), err.status, err.headers)
    }
    if (err instanceof HTTPException) {
      const code = err.status === 413 ? 'payload_too_large' : err.status < 500 ? 'bad_request' : 'internal_error'
      return c.json(errorBody(code, err.message || 'Bad request'), err.status)
    }
    log(`[voxpop] ${c.get('requestId')} ${c.req.method} ${c.req.path} failed`, err)
    return c.json(errorBody('internal_error', `Something went wrong on our side (request ${c.get('requestId')})`), 500)
  })
  return app
}

export type App = ReturnType<typeof createApp>
