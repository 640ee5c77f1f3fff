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
  return addressOf(peerOf(c), c.req.header('x-forwarded-for'), trustProxy)
}

/** The socket's peer address of the request behind a Hono context on Node. */
export function peerOf(c: Context): string | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress
}

/** The client's address from the socket's peer and `X-Forwarded-For`, under the VOXPOP_TRUST_PROXY rule. */
export function addressOf(peerAddress: string | undefined, forwardedFor: string | undefined, trustProxy: Config['trustProxy']): string {
  const peer = normalise(peerAddress ?? '0.0.0.0')
  if (trustProxy === null) return peer
  const forwarded = (forwardedFor ?? '')
    .split(',')
    .map((s) => normalise(s.trim()))
    .filter(Boolean)
  const chain = [...forwarded, peer]
  if (typeof trustProxy === 'number') return chain[Math.max(0, chain.length - 1 - trustProxy)]!
  let i = chain.length - 1
  while (i > 0 && trustProxy.includes(chain[i]!)) i--
  return chain[i]!
}
