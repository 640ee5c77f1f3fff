import { useCallback, useEffect, useState } from 'preact/hooks'
import type { CommentEditResponse, CommentLikeResponse, CommentListResponse, CommentPostResponse, CommentView } from '../../../server/types.ts'
import { ApiFailure, request } from '../api.ts'
import { load, save } from '../store.ts'
import type { Failure } from './usePoll.ts'

const EDIT_KEY = 'voxpop:edit'

type Tokens = Record<string, [token: string, until: number]>

function readTokens(): Tokens {
  try {
    return JSON.parse(load(EDIT_KEY) ?? '{}') as Tokens
  } catch {
    return {}
  }
}

/** The edit token for a comment while its edit window is open, else undefined. */
export function editToken(id: number): string | undefined {
  const entry = readTokens()[id]
  return entry && entry[1] > Date.now() ? entry[0] : undefined
}

function saveToken(id: number, token: string, until: string) {
  const now = Date.now()
  const tokens = Object.fromEntries(Object.entries(readTokens()).filter(([, v]) => v[1] > now))
  tokens[id] = [token, Date.parse(until)]
  save(EDIT_KEY, JSON.stringify(tokens))
}

export interface NewComment {
  body: string
  author?: string
  parentId?: number
  website: string
}

/** Applies `fn` to the comment with `id`, wherever it sits (top level or reply). */
function mapTree(list: CommentView[], id: number, fn: (c: CommentView) => CommentView | null): CommentView[] {
  return list.flatMap((c) => {
    if (c.id === id) {
      const next = fn(c)
      return next ? [next] : []
    }
    return c.replies.length ? [{ ...c, replies: mapTree(c.replies, id, fn) }] : [c]
  })
}

const toFailure = (e: unknown): Failure => (e instanceof ApiFailure ? { code: e.code, retryAfter: e.retryAfter } : { code: 'other' })

/** A thread's comments: load, paginate, sort, post, like, edit and delete. */
export function useComments(api: string, page: string, title: string) {
  const [sort, setSort] = useState('newest')
  const [list, setList] = useState<CommentView[]>([])
  const [meta, setMeta] = useState<{ total: number; next: string | null; formToken: string } | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const [busy, setBusy] = useState(false)
  const base = `/api/comments?page=${encodeURIComponent(page)}&sort=${sort}&limit=20`

  const fetchPage = useCallback(
    async (cursor: string | null) => {
      setBusy(true)
      setError(null)
      try {
        const res = await request<CommentListResponse>(api, cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base)
        setList((old) => (cursor ? [...old, ...res.comments] : res.comments))
        setMeta({ total: res.total, next: res.nextCursor, formToken: res.formToken })
      } catch (e) {
        setError(toFailure(e))
      } finally {
        setBusy(false)
      }
    },
    [api, base],
  )

  useEffect(() => void fetchPage(null), [fetchPage])

  /** Posts a comment or reply; resolves to the stored comment, or throws an ApiFailure. */
  const post = async (input: NewComment) => {
    const res = await request<CommentPostResponse>(api, '/api/comments', 'POST', {
      ...input,
      page,
      title,
      url: location.href.split('#')[0],
      formToken: meta?.formToken ?? '',
    })
    saveToken(res.comment.id, res.editToken, res.editableUntil)
    const mine: CommentView = { ...res.comment, status: res.status === 'approved' ? undefined : 'pending', replies: [] }
    setList((old) =>
      // The server files a reply to a reply under the top-level comment: follow its parentId.
      mine.parentId ? mapTree(old, mine.parentId, (c) => ({ ...c, replies: [...c.replies, mine] })) : [mine, ...old],
    )
    if (res.status === 'approved') setMeta((m) => m && { ...m, total: m.total + 1 })
    return res
  }

  const act = async (fn: () => Promise<void>) => {
    setError(null)
    try {
      await fn()
    } catch (e) {
      setError(toFailure(e))
    }
  }

  const like = (c: CommentView) =>
    act(async () => {
      const res = await request<CommentLikeResponse>(api, `/api/comments/${c.id}/like`, c.likedByMe ? 'DELETE' : 'PUT')
      setList((old) => mapTree(old, c.id, (x) => ({ ...x, ...res })))
    })

  const edit = (c: CommentView, body: string) =>
    act(async () => {
      const res = await request<CommentEditResponse>(api, `/api/comments/${c.id}`, 'PATCH', { body }, { 'X-Voxpop-Edit-Token': editToken(c.id) ?? '' })
      const status = res.status === 'pending' ? 'pending' : undefined
      setList((old) => mapTree(old, c.id, (x) => ({ ...x, ...res.comment, status, replies: x.replies })))
    })

  const remove = (c: CommentView) =>
    act(async () => {
      await request(api, `/api/comments/${c.id}`, 'DELETE', undefined, { 'X-Voxpop-Edit-Token': editToken(c.id) ?? '' })
      setList((old) => mapTree(old, c.id, (x) => (x.replies.length ? { ...x, body: '', status: 'deleted' } : null)))
    })

  return { sort, setSort, list, meta, error, busy, more: () => fetchPage(meta?.next ?? null), post, like, edit, remove }
}
