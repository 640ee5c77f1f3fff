import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenCommentApp, type CommentApp } from './comments-helpers.ts'
import { newVoter } from './helpers.ts'
import { listen } from '../../server/listen.ts'

let t: CommentApp
let server: ReturnType<typeof listen>
let port: number

/** A request exactly as a browser sends a body-less DELETE or PUT: no Content-Type, no Content-Length. */
function bare(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

beforeAll(async () => {
  t = createOpenCommentApp({ watchErrors: false })
  port = await new Promise<number>((resolve) => {
    server = listen(t.service, { port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port))
  })
})

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  expect(t.errors).toEqual([])
})

describe('body-less writes on a real listening server', () => {
  it('takes a like, an unlike and a delete sent without Content-Type or Content-Length', async () => {
    const author = newVoter()
    const { comment, editToken } = await t.postOk(author, { body: 'Mong tỉnh sớm sửa con đường này.' })
    const reader = newVoter()
    const liked = await bare('PUT', `/api/comments/${comment.id}/like`, { 'X-Voxpop-Voter': reader })
    expect(liked.status).toBe(200)
    expect(JSON.parse(liked.body)).toMatchObject({ likes: 1, likedByMe: true })
    const unliked = await bare('DELETE', `/api/comments/${comment.id}/like`, { 'X-Voxpop-Voter': reader })
    expect(unliked.status).toBe(200)
    expect(JSON.parse(unliked.body)).toMatchObject({ likes: 0, likedByMe: false })
    const removed = await bare('DELETE', `/api/comments/${comment.id}`, { 'X-Voxpop-Voter': author, 'X-Voxpop-Edit-Token': editToken })
    expect(removed.status).toBe(204)
    expect((await t.listOk()).total).toBe(0)
  })

  it('still refuses a DELETE that carries a body without saying it is JSON', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'DELETE', path: '/api/comments/1', headers: { 'Content-Type': 'text/plain', 'Content-Length': '2' } },
        (r) => {
          r.resume()
          resolve(r.statusCode!)
        },
      )
      req.on('error', reject)
      req.end('hi')
    })
    expect(res).toBe(415)
  })
})
