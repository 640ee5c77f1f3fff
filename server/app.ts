import { Hono } from 'hono'
import type { AppDeps, AppEnv } from './context.ts'
import { createCommentQueue } from './db/comment-queue.ts'
import { createCommentStore } from './db/comments.ts'
import { createPollStore } from './db/polls.ts'
import { createSessionStore } from './db/sessions.ts'
import { createVoteStore } from './db/votes.ts'
import { errorAnswer, errorBody } from './errors.ts'
import { createAnswerCache, createChangeToken } from './lib/answer-cache.ts'
import { formTokenHour } from './lib/signed.ts'
import { createCommenting } from './lib/commenting.ts'
import { createVoting } from './lib/voting.ts'
import { adminAuth } from './middleware/admin-auth.ts'
import { clientIp } from './middleware/client-ip.ts'
import { compressJson } from './middleware/compress.ts'
import { answerLane, createAnswerLane, type LaneReply, type LaneRequest } from './middleware/answer-lane.ts'
import { corsAnswerHeaders, corsHeaders, type CorsOptions } from './middleware/cors.ts'
import { httpCache } from './middleware/http-cache.ts'
import { jsonBody } from './middleware/json-body.ts'
import { originGuard } from './middleware/origin-guard.ts'
import { createRateLimit, loginRateLimit, rateLimit } from './middleware/rate-limit.ts'
import { createWriteLane, type WriteLane } from './middleware/write-lane.ts'
import { adminExportRoutes } from './routes/admin-exports.ts'
import { adminCommentRoutes, adminThreadRoutes } from './routes/admin-comments.ts'
import { adminPollRoutes } from './routes/admin-polls.ts'
import { adminSessionRoutes } from './routes/admin-session.ts'
import { adminStatsRoutes } from './routes/admin-stats.ts'
import { adminVoteRoutes } from './routes/admin-votes.ts'
import { commentLaneWrite, commentRoutes } from './routes/comments.ts'
import { countRoutes } from './routes/counts.ts'
import { pollRoutes, voteLaneWrite } from './routes/polls.ts'
import { assetReply, findAsset, staticRoutes } from './routes/static.ts'

/** Builds the whole HTTP app from its dependencies; never listens and never reads the environment. */
export function createApp(deps: AppDeps) {
  return createService(deps).app
}

/**
 * The app, and its short way for what most readers ask for: a kept shared answer or a static file,
 * made without Hono for a `GET` (`server/listen.ts` asks only for those); null sends the request
 * on to the app, which answers it the same way.
 */
export function createService(deps: AppDeps): { app: App; shortcut: (req: LaneRequest) => LaneReply | null; writeLane: WriteLane } {
  const { db, config } = deps
  const now = deps.now ?? Date.now
  const log = deps.log ?? ((message, detail) => console.error(message, detail))
  const polls = createPollStore(db)
  const sessions = createSessionStore(db)
  const comments = createCommentStore(db)
  const queue = createCommentQueue(db)
  // Shared answers kept in memory until the next write (or a second): what a spike on one article asks for.
  const changes = createChangeToken(db, now)
  const answers = createAnswerCache(changes, now)
  const voting = createVoting({ polls, secret: deps.secret, changes, now })
  const commenting = createCommenting({ comments, config, secret: deps.secret, now })

  const admin = new Hono<AppEnv>()
    .route('/session', adminSessionRoutes({ ...deps, sessions }))
    .use('*', adminAuth(sessions, config.adminPassword !== null, now))
    .route('/polls', adminPollRoutes({ ...deps, polls }))
    .route('/polls', adminVoteRoutes({ ...deps, polls, votes: createVoteStore(db) }))
    .route('/comments', adminCommentRoutes({ ...deps, comments, queue }))
    .route('/threads', adminThreadRoutes({ queue }))
    .route('/', adminExportRoutes({ ...deps, polls }))
    .route('/', adminStatsRoutes({ ...deps, polls }))

  const cors: CorsOptions = {
    origin: (origin) => (config.allowedOrigins === null ? '*' : config.allowedOrigins.includes(origin) ? origin : null),
    allowHeaders: ['Content-Type', 'X-Voxpop-Voter', 'X-Voxpop-Edit-Token', 'Authorization'],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposeHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'ETag'],
    maxAge: 86400,
  }
  const limits = { db: deps.rateDb ?? db, secret: deps.secret }
  const global = createRateLimit('global', config.rate.global, limits)

  // The CORS headers of an answer, for the lanes that answer without the middleware chain.
  const corsFor = corsAnswerHeaders(cors)
  const lane = createAnswerLane({ answers, global, trustProxy: config.trustProxy, cors: corsFor })
  const app = new Hono<AppEnv>()
  // First, before any other middleware: a kept answer goes out without running the chain below.
  app.get('/api/*', answerLane(lane))
  app.use('*', clientIp(config.trustProxy))
  app.use('/api/*', corsHeaders(cors))
  // Rate limits come after CORS, so a 429 is readable (with Retry-After) by the widget on another site.
  app.use('/api/*', global.middleware)
  // Writes only: what a read needs is a GET (and the preflight is answered by CORS above).
  const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE']
  if (config.allowedOrigins !== null) app.on(WRITES, '/api/*', originGuard(config.allowedOrigins))
  const voteLimit = createRateLimit('vote', config.rate.vote, limits)
  app.post('/api/polls/:id/votes', voteLimit.middleware)
  const commentLimit = createRateLimit('comment', config.rate.comment, limits)
  app.post('/api/comments', commentLimit.middleware)
  app.on(['PUT', 'DELETE'], '/api/comments/:id/like', rateLimit('like', config.rate.like, limits))
  app.post('/api/admin/session', loginRateLimit(config.rate.login, limits))
  app.on(WRITES, '/api/*', jsonBody())
  app.get('/healthz', (c) => {
    db.prepare('SELECT 1').get()
    return c.json({ ok: true })
  })
  app.use('/api/*', compressJson())
  // Caching for traffic spikes: what every reader gets alike is public for a few seconds, the rest
  // private. Answers alike for every reader come from the answer cache with their own Cache-Control
  // (public or not); what is left here depends on the reader (a token, a later page).
  app.get('/api/polls/:id', httpCache({ shared: () => false, vary: ['X-Voxpop-Voter'] }))
  app.get('/api/comments', httpCache({ shared: () => false, vary: ['X-Voxpop-Voter'], etagSource: formTokenHour }))
  app.get('/api/counts', httpCache({ shared: () => true }))
  app.route('/api/polls', pollRoutes({ ...deps, polls, answers, voting }))
  app.route('/api/comments', commentRoutes({ ...deps, comments, answers, commenting }))
  app.route('/api/counts', countRoutes({ ...deps, comments, answers }))
  app.route('/api/admin', admin)
  if (deps.assets) app.route('/', staticRoutes(deps.assets))

  app.notFound((c) => c.json(errorBody('not_found', `Nothing at ${c.req.method} ${c.req.path}`), 404))
  app.onError((err, c) => {
    const answer = errorAnswer(err, `${c.req.method} ${c.req.path}`, log)
    return c.json(answer.body, answer.status, answer.headers)
  })

  const { assets } = deps
  const shortcut = (req: LaneRequest): LaneReply | null => {
    if (req.target.startsWith('/api/')) return lane(req)
    const query = req.target.indexOf('?')
    const found = assets ? findAsset(assets, query === -1 ? req.target : req.target.slice(0, query)) : null
    return found && assetReply(found.path, found.asset, req.header)
  }
  const writeLane = createWriteLane({
    writes: [voteLaneWrite(voting, voteLimit), commentLaneWrite(commenting, commentLimit)],
    global,
    trustProxy: config.trustProxy,
    cors: corsFor,
    allowedOrigins: config.allowedOrigins,
    log,
  })
  return { app, shortcut, writeLane }
}

export type App = Hono<AppEnv>
