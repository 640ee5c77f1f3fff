import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { AdminCommentListResponse, AdminCommentView } from '../../../../server/types.ts'
import type { ModerationAction } from '../components/CommentCard.tsx'
import { ApiFailure, type AdminApi } from '../lib/api.ts'

/** Which comments the queue shows. */
export interface QueueFilter {
  status: 'pending' | 'approved' | 'rejected' | 'spam' | 'all'
  page: string
  q: string
}

/** How many moderation requests run at once during a bulk action. */
const PARALLEL = 4

/** The query string of a filter, for the list and the CSV export alike. */
export function filterQuery(filter: QueueFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ status: filter.status, ...extra })
  if (filter.page.trim()) params.set('page', filter.page.trim())
  if (filter.q.trim()) params.set('q', filter.q.trim())
  return params.toString()
}

/** Runs `work` on every item, `PARALLEL` at a time, and reports which succeeded. */
async function eachLimited<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const i = next++
      try {
        results[i] = { status: 'fulfilled', value: await work(items[i]!) }
      } catch (reason) {
        results[i] = { status: 'rejected', reason }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, lane))
  return results
}

/**
 * The moderation queue: loads a filtered list page by page and applies actions. A comment that
 * no longer matches the filter after an action (approved in the pending view) leaves the list.
 */
export function useCommentQueue(api: AdminApi, filter: QueueFilter) {
  const [comments, setComments] = useState<AdminCommentView[]>([])
  const [total, setTotal] = useState(0)
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<ApiFailure | null>(null)
  const generation = useRef(0)
  const latest = useRef(comments)
  latest.current = comments
  const key = filterQuery(filter)

  const load = useCallback(
    async (after: string | null) => {
      const mine = after === null ? ++generation.current : generation.current
      setLoading(true)
      try {
        const page = await api.request<AdminCommentListResponse>('GET', `/api/admin/comments?${filterQuery(filter, after ? { cursor: after } : {})}`)
        if (mine !== generation.current) return
        setComments((old) => (after === null ? page.comments : [...old, ...page.comments.filter((c) => !old.some((o) => o.id === c.id))]))
        setTotal(page.total)
        setCursor(page.nextCursor)
        setError(null)
      } catch (e) {
        if (mine === generation.current) setError(e instanceof ApiFailure ? e : new ApiFailure(0, 'other', String(e)))
      } finally {
        if (mine === generation.current) setLoading(false)
      }
    },
    [api, key],
  )

  useEffect(() => {
    setComments([])
    void load(null)
  }, [load])

  /** Applies `action` to the comments `ids`; resolves with how many succeeded and failed. */
  async function act(ids: number[], action: ModerationAction): Promise<{ ok: number; failed: number }> {
    const results = await eachLimited(ids, (id) =>
      action === 'delete'
        ? api.request<null>('DELETE', `/api/admin/comments/${id}`)
        : // Every POST must be JSON (the API refuses other types, which shuts out form-post CSRF).
          api.request<AdminCommentView>('POST', `/api/admin/comments/${id}/${action}`, {}),
    )
    const updated = new Map<number, AdminCommentView | null>()
    let failed = 0
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') updated.set(ids[i]!, r.value)
      // Already gone (deleted elsewhere): drop it from the list as if done here.
      else if (r.reason instanceof ApiFailure && r.reason.code === 'comment_not_found') updated.set(ids[i]!, null)
      else failed++
    })
    const before = latest.current
    const after = before.flatMap((c) => {
      if (!updated.has(c.id)) return [c]
      const now = updated.get(c.id)
      return !now || (filter.status !== 'all' && now.status !== filter.status) ? [] : [now]
    })
    latest.current = after
    setComments(after)
    setTotal((n) => Math.max(0, n - (before.length - after.length)))
    return { ok: ids.length - failed, failed }
  }

  return { comments, total, hasMore: cursor !== null, loading, error, reload: () => load(null), loadMore: () => load(cursor), act }
}
