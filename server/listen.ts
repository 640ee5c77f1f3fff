import { serve } from '@hono/node-server'
import { createServer, type IncomingMessage, type RequestListener, type ServerOptions, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { createService } from './app.ts'
import type { LaneReply } from './middleware/answer-lane.ts'

type Service = ReturnType<typeof createService>

/**
 * Serves the app on Node. A `GET` for a kept shared answer or a static file is answered here,
 * before Hono: `service.shortcut` makes the same answer the app would (tests compare the two
 * header by header), and this saves the web `Request`/`Response` objects and the routing, which
 * cost more than the answer itself — a third of the CPU time of a poll read. So is a plain vote or
 * new comment, by `service.writeLane` (a quarter of a vote's CPU time saved). Everything else, and
 * whatever the lanes decline, goes to the app as usual.
 */
export function listen(service: Service, options: { port: number; hostname: string }, onListening?: (info: AddressInfo) => void) {
  const { app, shortcut, writeLane } = service
  return serve(
    {
      fetch: app.fetch,
      port: options.port,
      hostname: options.hostname,
      createServer: ((serverOptions: ServerOptions, honoListener: RequestListener) =>
        createServer(serverOptions, (req, res) => {
          if (!answered(req, res, shortcut) && !tookWrite(req, res, writeLane, honoListener)) honoListener(req, res)
        })) as typeof createServer,
    },
    onListening,
  )
}

/** How many requests were answered before Hono: for tests that must know which path served them. */
export const shortcutStats = { served: 0 }

function answered(req: IncomingMessage, res: ServerResponse, shortcut: Service['shortcut']): boolean {
  const target = req.url
  // An absolute-form target, or anything else odd, is Hono's to read.
  if (req.method !== 'GET' || target === undefined || target.charCodeAt(0) !== 47 /* / */) return false
  const found = shortcut(laneRequest(req, target))
  if (!found) return false
  shortcutStats.served++
  send(res, found)
  return true
}

/** What the lanes read of a Node request. */
function laneRequest(req: IncomingMessage, target: string) {
  const headers = req.headers
  return {
    target,
    method: req.method!,
    header: (name: string) => {
      const value = headers[name]
      return Array.isArray(value) ? value.join(', ') : value
    },
    peer: req.socket.remoteAddress,
  }
}

/**
 * A write the write lane takes (a vote, a new comment): its body is read here and the lane
 * answers — or, should it decline after all, Hono gets the request with the body it would have
 * read (`rawBody`, which @hono/node-server reads instead of the stream).
 */
function tookWrite(req: IncomingMessage & { rawBody?: Buffer }, res: ServerResponse, lane: Service['writeLane'], hono: RequestListener): boolean {
  const target = req.url
  // Only a POST can be a write the lane takes: anything else goes on without building its head.
  if (req.method !== 'POST' || target === undefined) return false
  const head = laneRequest(req, target)
  const taken = lane.accepts(head)
  if (taken === null) return false
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  // A client gone before its body ended: there is no one left to answer.
  req.on('error', () => res.destroy())
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
    lane.write(head, taken, body).then(
      (reply) => {
        if (reply) return send(res, reply)
        req.rawBody = body
        void hono(req, res)
      },
      // The lane answers every failure of the write itself; anything else is a fault of its own.
      (error: unknown) => {
        console.error('[voxpop] write lane failed', error)
        res.destroy()
      },
    )
  })
  return true
}

function send(res: ServerResponse, reply: LaneReply) {
  const { status, headers, body } = reply
  if (body) headers['Content-Length'] = String(body.byteLength)
  res.writeHead(status, headers)
  res.end(body)
}
