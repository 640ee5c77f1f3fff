/**
 * The ceiling: a bare Hono app on @hono/node-server with no middleware, no database and no
 * validation. The bench runs it as its own process beside the real server, so every scenario
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

/** JSON texts of a given size (the view, padded), for comparing a route whose answers are bigger. */
const padded = new Map<number, string>()
function ofSize(bytes: number): string {
  let text = padded.get(bytes)
  if (!text) {
    const base = JSON.stringify({ ...VIEW, pad: '' })
    text = JSON.stringify({ ...VIEW, pad: 'x'.repeat(Math.max(0, bytes - Buffer.byteLength(base))) })
    padded.set(bytes, text)
  }
  return text
}

const app = new Hono()
  .get('/json', (c) => c.json(VIEW))
  .get('/json/:bytes{[0-9]+}', (c) => c.body(ofSize(Math.min(1_000_000, Number(c.req.param('bytes')))), 200, { 'Content-Type': 'application/json' }))
  .post('/json', async (c) => {
    const body = (await c.req.json()) as { options?: unknown }
    return c.json({ ...VIEW, myVote: body.options ?? null }, 201)
  })

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) => {
  console.log(`ceiling: listening on http://127.0.0.1:${info.port}`)
})
process.on('SIGTERM', () => process.exit(0))
