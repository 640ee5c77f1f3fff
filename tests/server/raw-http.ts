import { request as httpRequest } from 'node:http'

/** An answer as it came over the socket: header fields in order (names in lower case) and the body's bytes, not decompressed. */
export interface Raw {
  status: number
  headers: [string, string][]
  body: Buffer
}

/**
 * A request over a real socket to 127.0.0.1:`port`. A body goes with Content-Length, or chunked
 * (`chunked: true`: sent in two writes without Content-Length, as Node does then).
 */
export function raw(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', body?: { bytes: Buffer | string; chunked?: boolean }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const bytes = body && Buffer.from(body.bytes)
    const all = bytes && !body.chunked ? { ...headers, 'Content-Length': String(bytes.length) } : headers
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: all }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const pairs: [string, string][] = []
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!])
        resolve({ status: res.statusCode!, headers: pairs, body: Buffer.concat(chunks) })
      })
    })
    req.on('error', reject)
    if (bytes && body.chunked) req.write(bytes.subarray(0, 1))
    req.end(bytes && body.chunked ? bytes.subarray(1) : bytes)
  })
}
