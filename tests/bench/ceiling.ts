/**
 * The ceiling: a bare Hono app on @hono/node-server with no middleware, no database and no
 * validation (and, for reference, replays of the scenarios' own answers). The bench runs it as its own process beside the real server, so every scenario
 * is compared with what this machine and this HTTP stack can do in the same run.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

// About the size and shape of a two-option poll view, so bytes on the wire are comparable.
const VIEW = {
  id: 'ceiling',
  question: 'Bạn đọc tin tức chủ yếu trên thiết bị nào?',
  options: [
    { id: 'a1', label: 'Điện thoại' },
    { id: 'b2', label: 'Máy tính' },
  ],
  multiple: false,
  maxChoices: 1,
  status: 'open',
  opensAt: null,
  closesAt: null,
  resultsVisibility: 'always',
  myVote: null,
  results: { totalVotes: 1000, totalVoters: 1000, options: [{ id: 'a1', votes: 600, percent: 60 }, { id: 'b2', votes: 400, percent: 40 }] },
}

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
