import { expect } from 'vitest'
import { issueFormToken } from '../../server/lib/signed.ts'
import type {
  AdminCommentListResponse,
  AdminCommentView,
  CommentEditResponse,
  CommentListResponse,
  CommentPostResponse,
} from '../../server/types.ts'
import { createTestApp, SECRET, type TestAppOptions } from './helpers.ts'

/** The page key most comment tests use. */
export const PAGE = 'bai-viet-123'

/** What the comment helpers accept for a post; `formToken` defaults to one issued 10 s ago. */
export type PostInput = Record<string, unknown>

/** A test app (see `createTestApp`) with helpers for the comment API. */
export function createCommentApp(options: TestAppOptions = {}) {
  // These tests post and like a lot from one address; the rate limiter has tests of its own.
  const env = { VOXPOP_RATE_COMMENT: '10000/60s', VOXPOP_RATE_LIKE: '10000/60s', ...options.env }
  const t = createTestApp({ ...options, env })

  /** A form token as a person would hold it: issued long enough ago to pass the 3 s check. */
  const humanToken = () => issueFormToken(SECRET, t.clock.now() - 10_000)

  /** Posts a comment as `voter` (no voter header when null). */
  function post(voter: string | null, input: PostInput = {}): Promise<Response> {
    const body: PostInput = { page: PAGE, body: 'Bài viết hay quá!', ...input }
    if (!('formToken' in input)) body.formToken = humanToken()
    return t.send('POST', '/api/comments', body, voter ? { 'X-Voxpop-Voter': voter } : {})
  }

  /** Posts a comment and expects 201. */
  async function postOk(voter: string, input: PostInput = {}): Promise<CommentPostResponse> {
    const res = await post(voter, input)
    if (res.status !== 201) throw new Error(`comment refused: ${res.status} ${await res.text()}`)
    return (await res.json()) as CommentPostResponse
  }

  /** Reads a thread (query parameters as given; `page` defaults to PAGE). */
  function list(query: Record<string, string> = {}, voter?: string): Promise<Response> {
    const params = new URLSearchParams({ page: PAGE, ...query })
    return t.request(`/api/comments?${params}`, voter ? { headers: { 'X-Voxpop-Voter': voter } } : {})
  }

  /** Reads a thread and expects 200. */
  async function listOk(query: Record<string, string> = {}, voter?: string): Promise<CommentListResponse> {
    const res = await list(query, voter)
    expect(res.status).toBe(200)
    return (await res.json()) as CommentListResponse
  }

  /** PATCHes a comment's body with an edit token (none when undefined). */
  function edit(id: number, editToken: string | undefined, body: unknown): Promise<Response> {
    return t.send('PATCH', `/api/comments/${id}`, { body }, editToken === undefined ? {} : { 'X-Voxpop-Edit-Token': editToken })
  }

  /** Edits and expects 200. */
  async function editOk(id: number, editToken: string, body: string): Promise<CommentEditResponse> {
    const res = await edit(id, editToken, body)
    if (res.status !== 200) throw new Error(`edit refused: ${res.status} ${await res.text()}`)
    return (await res.json()) as CommentEditResponse
  }

  /** An author's body-less DELETE with an edit token (none when undefined). */
  function remove(id: number | string, editToken: string | undefined): Promise<Response> {
    return t.request(`/api/comments/${id}`, { method: 'DELETE', headers: editToken === undefined ? {} : { 'X-Voxpop-Edit-Token': editToken } })
  }

  /** A body-less like (`PUT`) or unlike (`DELETE`). */
  function like(id: number | string, voter: string | null, method: 'PUT' | 'DELETE' = 'PUT'): Promise<Response> {
    return t.request(`/api/comments/${id}/like`, { method, headers: voter ? { 'X-Voxpop-Voter': voter } : {} })
  }

  /** Approves or rejects through the admin API (a POST must carry a JSON body, here `{}`). */
  function moderate(id: number | string, action: 'approve' | 'reject'): Promise<Response> {
    return t.admin('POST', `/api/admin/comments/${id}/${action}`, {})
  }

  /** Approves and expects 200 with the admin view. */
  async function approve(id: number): Promise<AdminCommentView> {
    const res = await moderate(id, 'approve')
    if (res.status !== 200) throw new Error(`approve refused: ${res.status} ${await res.text()}`)
    return (await res.json()) as AdminCommentView
  }

  /** Reads the admin queue with these query parameters and expects 200. */
  async function queue(query: Record<string, string> = {}): Promise<AdminCommentListResponse> {
    const res = await t.admin('GET', `/api/admin/comments?${new URLSearchParams(query)}`)
    if (res.status !== 200) throw new Error(`queue refused: ${res.status} ${await res.text()}`)
    return (await res.json()) as AdminCommentListResponse
  }

  /** GET /api/counts for these keys. */
  function counts(pages: string[]): Promise<Response> {
    return t.request(`/api/counts?${new URLSearchParams(pages.map((p) => ['page', p]))}`)
  }

  /** The approved count of a page according to GET /api/counts. */
  async function countOf(page = PAGE): Promise<number> {
    const res = await counts([page])
    expect(res.status).toBe(200)
    return ((await res.json()) as Record<string, number>)[page]!
  }

  return { ...t, humanToken, post, postOk, list, listOk, edit, editOk, remove, like, moderate, approve, queue, counts, countOf }
}

export type CommentApp = ReturnType<typeof createCommentApp>

/** A post-moderation app: comments without spam signs are published at once. */
export function createOpenCommentApp(options: TestAppOptions = {}) {
  return createCommentApp({ ...options, env: { VOXPOP_MODERATION: 'post', ...options.env } })
}
