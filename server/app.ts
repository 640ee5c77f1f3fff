import { Hono, type Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import type { AppDeps, AppEnv } from './context.ts'
import { createCommentQueue } from './db/comment-queue.ts'
import { createCommentStore } from './db/comments.ts'
import { createPollStore } from './db/polls.ts'
import { createSessionStore } from './db/sessions.ts'
import { createVoteStore } from './db/votes.ts'
import { ApiError, errorBody } from './errors.ts'
import { adminAuth } from './middleware/admin-auth.ts'
import { clientIp } from './middleware/client-ip.ts'
import { compressJson } from './middleware/compress.ts'
import { corsHeaders } from './middleware/cors.ts'
import { httpCache } from './middleware/http-cache.ts'
import { jsonBody } from './middleware/json-body.ts'
import { originGuard } from './middleware/origin-guard.ts'
import { loginRateLimit, rateLimit } from './middleware/rate-limit.ts'
import { adminExportRoutes } from './routes/admin-exports.ts'
import { adminCommentRoutes } from './routes/admin-comments.ts'
import { adminPollRoutes } from './routes/admin-polls.ts'
import { adminSessionRoutes } from './routes/admin-session.ts'
import { adminStatsRoutes } from './routes/admin-stats.ts'
import { adminVoteRoutes } from './routes/admin-votes.ts'
import { commentRoutes } from './routes/comments.ts'
import { countRoutes } from './routes/counts.ts'
import { pollRoutes } from './routes/polls.ts'
import { staticRoutes } from './routes/static.ts'

/**
 * A comment list carries a form token stamped to the millisecond; lists whose tokens were issued
 * in the same hour are interchangeable (a token stays valid for a day), so they share an ETag.
 */
const formTokenHour = (text: string) =>
  text.replace(/"formToken":"(\d+)\.[\w-]+"/, (_, at: string) => `"formToken":${Math.floor(Number(at) / 3_600_000)}`)

/** Builds the whole HTTP app from its dependencies; never listens and never reads the environment. */
export function createApp(deps: AppDeps) {
  const { db, config } = deps
  const now = deps.now ?? Date.now
  const log = deps.log ?? ((message, detail) => console.error(message, detail))
  const polls = createPollStore(db)
  const sessions = createSessionStore(db)
  const comments = createCommentStore(db)

  const admin = new Hono<AppEnv>()
    .route('/session', adminSessionRoutes({ ...deps, sessions }))
    .use('*', adminAuth(sessions, config.adminPassword !== null, now))
    .route('/polls', adminPollRoutes({ ...deps, polls }))
    .route('/polls', adminVoteRoutes({ ...deps, polls, votes: createVoteStore(db) }))
    .route('/comments', adminCommentRoutes({ ...deps, comments, queue: createCommentQueue(db) }))
    .route('/', adminExportRoutes({ ...deps, polls }))
    .route('/', adminStatsRoutes({ ...deps, polls }))

  const app = new Hono<AppEnv>()
  app.use('*', requestId())
  app.use('*', clientIp(config.trustProxy))
  app.use(
    '/api/*',
    corsHeaders({
      origin: (origin) => (config.allowedOrigins === null ? '*' : config.allowedOrigins.includes(origin) ? origin : null),
      allowHeaders: ['Content-Type', 'X-Voxpop-Voter', 'X-Voxpop-Edit-Token', 'Authorization'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposeHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'ETag'],
      maxAge: 86400,
    }),
  )
  // Rate limits come after CORS, so a 429 is readable (with Retry-After) by the widget on another site.
  const limits = { db: deps.rateDb ?? db, secret: deps.secret }
  app.use('/api/*', rateLimit('global', config.rate.global, limits))
  app.use('/api/*', originGuard(config.allowedOrigins))
  app.post('/api/polls/:id/votes', rateLimit('vote', config.rate.vote, limits))
  app.post('/api/comments', rateLimit('comment', config.rate.comment, limits))
  app.on(['PUT', 'DELETE'], '/api/comments/:id/like', rateLimit('like', config.rate.like, limits))
  app.post('/api/admin/session', loginRateLimit(config.rate.login, limits))
  app.use('/api/*', jsonBody())
  app.get('/healthz', (c) => {
    db.prepare('SELECT 1').get()
    return c.json({ ok: true })
  })
  app.use('/api/*', compressJson())
  // Caching for traffic spikes: what every reader gets alike is public for a few seconds, the rest private.
  const anonymous = (c: Context) => !c.req.header('x-voxpop-voter')
  app.get('/api/polls/:id', httpCache({ shared: (c) => c.get('sharedPollView') === true, vary: ['X-Voxpop-Voter'] }))
  app.get(
    '/api/comments',
    httpCache({ shared: (c) => anonymous(c) && c.req.query('cursor') === undefined, vary: ['X-Voxpop-Voter'], etagSource: formTokenHour }),
  )
  app.get('/api/counts', httpCache({ shared: () => true }))
  app.route('/api/polls', pollRoutes({ ...deps, polls }))
  app.route('/api/comments', commentRoutes({ ...deps, comments }))
  app.route('/api/counts', countRoutes({ ...deps, comments }))
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
