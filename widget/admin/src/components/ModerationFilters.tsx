import { useEffect, useState } from 'preact/hooks'
import type { QueueFilter } from '../hooks/useCommentQueue.ts'
import { useT } from '../i18n/i18n.ts'

const STATUSES: QueueFilter['status'][] = ['pending', 'approved', 'rejected', 'spam', 'all']

/** Status, article and text filters; typed text applies after a short pause. */
export function ModerationFilters({ filter, onChange }: { filter: QueueFilter; onChange: (filter: QueueFilter) => void }) {
  const t = useT()
  const [page, setPage] = useState(filter.page)
  const [q, setQ] = useState(filter.q)
  useEffect(() => setPage(filter.page), [filter.page])
  useEffect(() => {
    if (page === filter.page && q === filter.q) return
    const timer = setTimeout(() => onChange({ ...filter, page, q }), 350)
    return () => clearTimeout(timer)
  }, [page, q])

  return (
    <form class="filters" role="search" onSubmit={(e) => (e.preventDefault(), onChange({ ...filter, page, q }))}>
      <label class="field">
        <span>{t.moderation.status}</span>
        <select name="status" value={filter.status} onChange={(e) => onChange({ ...filter, status: e.currentTarget.value as QueueFilter['status'] })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t.moderation.statusName[s]}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t.moderation.thread}</span>
        <input type="search" name="page" value={page} placeholder={t.moderation.threadPlaceholder} onInput={(e) => setPage(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span>{t.moderation.search}</span>
        <input type="search" name="q" value={q} placeholder={t.moderation.searchPlaceholder} onInput={(e) => setQ(e.currentTarget.value)} />
      </label>
    </form>
  )
}
