/**
 * The ceiling: a bare Hono app on @hono/node-server with no middleware, no database and no
 * validation (and, for reference, replays of the scenarios' own answers). The bench runs it as its own process beside the real server, so every scenario
 * is compared with what this machine and this HTTP stack can do in the same run.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { CEILING_VIEW as VIEW } from './ceiling-view.ts'

/**
 * Answers registered by the bench, sent back byte for byte with their header fields: the bare
 * stack sending exactly what a scenario sends, which separates the server's work from the cost
 * of the answer itself (its bytes and fields, which autocannon on the same cores parses too).
 */
const replays = new Map<string, { status: number; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> }>()

const app = new Hono()
  .get('/json', (c) => c.json(VIEW))
  .put('/replay/:name', async (c) => {
    const { status, headers, body } = (await c.req.json()) as { status: number; headers: Record<string, string>; body: string }
    replays.set(c.req.param('name'), { status, headers, body: new Uint8Array(Buffer.from(body, 'base64')) })
    return c.body(null, 204)
  })
  .get('/replay/:name', (c) => {
    const answer = replays.get(c.req.param('name'))
    if (!answer) return c.text('no such replay', 404)
    return c.body(answer.body, answer.status as 200, answer.headers)
  })
  .post('/json', async (c) => {
    const body = (await c.req.json()) as { options?: unknown }
    return c.json({ ...VIEW, myVote: body.options ?? null }, 201)
  })

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  console.log(`ceiling: listening on http://127.0.0.1:${info.port}`)
})
process.on('SIGTERM', () => process.exit(0))
