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
 * cost more than the answer itself — a third of the CPU time of a poll read. Everything else, and
 * whatever the shortcut declines, goes to the app as usual.
 */
export function listen(service: Service, options: { port: number; hostname: string }, onListening?: (info: AddressInfo) => void) {
  const { app, shortcut } = service
  return serve(
    {
      fetch: app.fetch,
      port: options.port,
      hostname: options.hostname,
      createServer: ((serverOptions: ServerOptions, honoListener: RequestListener) =>
        createServer(serverOptions, (req, res) => {
          if (!answered(req, res, shortcut)) honoListener(req, res)
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
  const headers = req.headers
  const found = shortcut({
    target,
    header: (name) => {
      const value = headers[name]
      return Array.isArray(value) ? value.join(', ') : value
    },
    peer: req.socket.remoteAddress,
  })
  if (!found) return false
  shortcutStats.served++
  send(res, found)
  return true
}

function send(res: ServerResponse, reply: LaneReply) {
  const { status, headers, body } = reply
  if (body) headers['Content-Length'] = String(body.byteLength)
  res.writeHead(status, headers)
  res.end(body)
}
