import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import type { Config } from '../config.ts'

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } }
}

function normalise(address: string): string {
  // Node reports IPv4 peers on a dual-stack socket as ::ffff:a.b.c.d.
  return address.startsWith('::ffff:') ? address.slice(7) : address
}

/**
 * Sets `clientIp`: the socket's peer address, unless VOXPOP_TRUST_PROXY says which proxies may
 * speak for the client through X-Forwarded-For. Without it a forged header changes nothing.
 */
export function clientIp(trustProxy: Config['trustProxy']): MiddlewareHandler<AppEnv> {
  return function clientIp(c, next) {
    if (c.get('clientIp') === undefined) c.set('clientIp', clientIpOf(c, trustProxy))
    return next()
  }
}

/** The client's address under the VOXPOP_TRUST_PROXY rule (see `clientIp`). */
export function clientIpOf(c: Context, trustProxy: Config['trustProxy']): string {
  const env = c.env as NodeBindings | undefined
  const peer = normalise(env?.incoming?.socket?.remoteAddress ?? '0.0.0.0')
  if (trustProxy === null) return peer
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => normalise(s.trim()))
    .filter(Boolean)
  const chain = [...forwarded, peer]
  if (typeof trustProxy === 'number') return chain[Math.max(0, chain.length - 1 - trustProxy)]!
  let i = chain.length - 1
  while (i > 0 && trustProxy.includes(chain[i]!)) i--
  return chain[i]!
}
