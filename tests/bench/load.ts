/** Load generation: autocannon for throughput, a sequential keep-alive client for unloaded latency. */
import autocannon, { type RawRequest } from 'autocannon'
import { request, Agent } from 'node:http'
import { performance } from 'node:perf_hooks'

/** One scenario's figures. Latencies in milliseconds. */
export interface LoadResult {
  requestsPerSec: number
  p50: number
  p99: number
  meanLatency: number
  requests: number
  /** Connection errors and timeouts. */
  errors: number
  non2xx: number
  statusCodes: Record<string, number>
  /** CPU time (user + system) the target process spent per answered request, in µs; 0 when not measured. */
  cpuUsPerRequest: number
}

export interface LoadOptions {
  url: string
  connections: number
  durationSec: number
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
  /** Rewrites each request before it is sent (a fresh voter token, a unique body). */
  setupRequest?: (request: RawRequest) => RawRequest
}

/** Runs autocannon against one route for a fixed time; only 127.0.0.1 targets are allowed. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (new URL(options.url).hostname !== '127.0.0.1') throw new Error(`bench targets must be 127.0.0.1, got ${options.url}`)
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    timeout: 10,
    requests: [
      {
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers ?? {},
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(options.setupRequest ? { setupRequest: options.setupRequest } : {}),
      },
    ],
  })
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]))
  const answered = Object.values(statusCodes).reduce((a, b) => a + b, 0)
  return {
    requestsPerSec: answered / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    meanLatency: result.latency.average,
    requests: answered,
    errors: result.errors,
    non2xx: result.non2xx,
    statusCodes,
    cpuUsPerRequest: 0,
  }
}

/** Unloaded latency of one GET, in microseconds. */
export interface LatencyProbe {
  p50Us: number
  p90Us: number
  meanUs: number
  samples: number
}

function getOnce(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request(url, { agent, method: 'GET' }, (res) => {
      res.on('data', () => {})
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${url.pathname}${url.search}: ${res.statusCode}`))
        else resolve((performance.now() - started) * 1000)
      })
    })
    req.on('error', reject)
    req.end()
  })
}

/** An answer as sent: status, header fields (without the ones Node sets itself) and body bytes. */
export interface CapturedAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/** Headers Node's HTTP server writes by itself for any handler: not part of what is replayed. */
const AUTOMATIC = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

/** GETs `url` once with the scenario's headers (none: as autocannon does, no Accept-Encoding) and returns the answer as sent, for the bare server to replay. */
export function captureAnswer(url: string, headers: Record<string, string> = {}): Promise<CapturedAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(res.headers)) {
          if (!AUTOMATIC.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
        }
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('base64') })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

function summarise(samples: number[]): LatencyProbe {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { p50Us: at(0.5), p90Us: at(0.9), meanUs: samples.reduce((a, b) => a + b, 0) / samples.length, samples: samples.length }
}

/**
 * Times `rounds` sequential GETs of each URL over one keep-alive connection, alternating between
 * them so that noise from the machine (autocannon is not running, but other processes may be)
 * falls on all of them alike. Returns one summary per URL.
 */
export async function probeLatency(urls: string[], rounds: number): Promise<LatencyProbe[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const parsed = urls.map((u) => new URL(u))
  const samples = urls.map(() => [] as number[])
  try {
    for (let w = 0; w < 50; w++) for (const u of parsed) await getOnce(agent, u)
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < parsed.length; i++) samples[i]!.push(await getOnce(agent, parsed[i]!))
    }
  } finally {
    agent.destroy()
  }
  return samples.map(summarise)
}
