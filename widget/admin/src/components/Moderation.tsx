import { useEffect, useRef, useState } from 'preact/hooks'
import type { AdminThreadListResponse, AdminThreadView } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { filterQuery, useCommentQueue, type QueueFilter } from '../hooks/useCommentQueue.ts'
import { useShortcuts } from '../hooks/useShortcuts.ts'
import { errorText, useT } from '../i18n/i18n.ts'
import { formatCount } from '../lib/format.ts'
import { BulkBar } from './BulkBar.tsx'
import { CommentCard, type ModerationAction } from './CommentCard.tsx'
import { DownloadButton } from './DownloadButton.tsx'
import { ModerationFilters } from './ModerationFilters.tsx'
import { ShortcutHelp } from './ShortcutHelp.tsx'

/** The moderation queue: pending comments first, filters, one-by-one and bulk actions, shortcuts. */
export function Moderation() {
  const t = useT()
  const { api, lang } = useAdmin()
  const [filter, setFilter] = useState<QueueFilter>({ status: 'pending', page: '', q: '' })
  const queue = useCommentQueue(api, filter)
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [active, setActive] = useState(0)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const list = useRef<HTMLOListElement>(null)
  const { comments } = queue
  const [threads, setThreads] = useState<AdminThreadView[]>([])

  // The article picker is read once each time the queue has loaded (every filter change reloads
  // it, so the status is current) and after every action (the total moves) — not alongside a load.
  useEffect(() => {
    if (queue.loading) return
    let current = true
    api.request<AdminThreadListResponse>('GET', `/api/admin/threads?status=${filter.status}&limit=100`).then(
      (answer) => current && setThreads(answer.threads),
      // Without the list the picker offers "all articles" only; the queue shows its own errors.
      () => current && setThreads([]),
    )
    return () => {
      current = false
    }
  }, [api, queue.total, queue.loading])

  useEffect(() => {
    setSelected(new Set())
    setActive(0)
  }, [filterQuery(filter)])
  useEffect(() => {
    if (active >= comments.length && comments.length > 0) setActive(comments.length - 1)
  }, [comments.length])

  const focusCard = (index: number) => {
    setActive(index)
    const card = list.current?.children[index] as HTMLElement | undefined
    card?.focus({ preventScroll: true })
    card?.scrollIntoView({ block: 'nearest' })
  }

  async function run(ids: number[], action: ModerationAction) {
    if (ids.length === 0 || busy) return
    setBusy(true)
    setMessage(null)
    try {
      const { ok, failed } = await queue.act(ids, action)
      setSelected((old) => new Set([...old].filter((id) => !ids.includes(id))))
      setMessage({ text: failed ? t.moderation.partial(ok, failed) : t.moderation.done(ok), error: failed > 0 })
    } finally {
      setBusy(false)
    }
  }

  const current = comments[active]
  const targets = () => (selected.size > 0 ? [...selected] : current ? [current.id] : [])
  const toggle = (id: number) =>
    setSelected((old) => {
      const next = new Set(old)
      if (!next.delete(id)) next.add(id)
      return next
    })

  useShortcuts({
    j: () => comments.length && focusCard(Math.min(active + 1, comments.length - 1)),
    k: () => comments.length && focusCard(Math.max(active - 1, 0)),
    a: () => void run(targets(), 'approve'),
    r: () => void run(targets(), 'reject'),
    x: () => current && toggle(current.id),
  })

  const allSelected = comments.length > 0 && comments.every((c) => selected.has(c.id))
  const exportQuery = new URLSearchParams({ status: filter.status })
  if (filter.page.trim()) exportQuery.set('page', filter.page.trim())

  return (
    <section aria-labelledby="moderation-title" class="moderation">
      <div class="section-head">
        <h1 id="moderation-title">{t.moderation.title}</h1>
        <DownloadButton path={`/api/admin/comments.csv?${exportQuery}`} label={t.moderation.export} />
      </div>
      <div class="moderation-layout">
        <div class="moderation-main">
          <ModerationFilters filter={filter} threads={threads} onChange={setFilter} />
          {filter.page && (
            <button type="button" class="link-btn small" onClick={() => setFilter({ ...filter, page: '' })}>
              ✕ {t.moderation.clearThread}
            </button>
          )}
          <div class="list-head">
            <label class="check">
              <input
                type="checkbox"
                checked={allSelected}
                disabled={comments.length === 0}
                onChange={() => setSelected(allSelected ? new Set() : new Set(comments.map((c) => c.id)))}
              />
              <span>{t.moderation.selectAll}</span>
            </label>
            <span class="muted small" aria-live="polite">
              {t.moderation.total(queue.total)}
            </span>
            <button type="button" class="btn ghost small" onClick={() => void queue.reload()}>
              ↻ {t.moderation.refresh}
            </button>
          </div>
          {selected.size > 0 && <BulkBar count={selected.size} busy={busy} onAction={(action) => run([...selected], action)} onClear={() => setSelected(new Set())} />}
          <p role="status" class={message?.error ? 'error' : 'ok'}>
            {message?.text ?? ''}
          </p>
          {queue.error && (
            <p class="error" role="alert">
              {errorText(t, queue.error.code)}
            </p>
          )}
          {comments.length === 0 && !queue.loading && !queue.error && (
            <p class="empty">{filter.status === 'pending' && !filter.page && !filter.q ? t.moderation.emptyPending : t.moderation.empty}</p>
          )}
          <ol class="comment-list" ref={list}>
            {comments.map((c, i) => (
              <CommentCard
                key={c.id}
                comment={c}
                selected={selected.has(c.id)}
                active={i === active}
                onToggle={() => toggle(c.id)}
                onFocus={() => setActive(i)}
                onAction={(action) => run([c.id], action)}
                onFilterThread={(page) => setFilter({ ...filter, page })}
              />
            ))}
          </ol>
          {queue.loading && <p role="status">{t.loading}</p>}
          {queue.hasMore && !queue.loading && (
            <button type="button" class="btn wide" onClick={() => void queue.loadMore()}>
              {t.moderation.loadMore} ({formatCount(Math.max(0, queue.total - comments.length), lang)})
            </button>
          )}
        </div>
        <ShortcutHelp />
      </div>
    </section>
  )
}
