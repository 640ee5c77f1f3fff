import { useEffect, useState } from 'preact/hooks'
import type { AdminThreadView } from '../../../../server/types.ts'
import type { QueueFilter } from '../hooks/useCommentQueue.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { useT } from '../i18n/i18n.ts'
import { formatCount } from '../lib/format.ts'

const STATUSES: QueueFilter['status'][] = ['pending', 'approved', 'rejected', 'spam', 'all']

/**
 * Status, article and text filters; typed text applies after a short pause. The article picker
 * lists the articles with comments of the chosen status, the most recently commented first.
 */
export function ModerationFilters({ filter, threads, onChange }: { filter: QueueFilter; threads: AdminThreadView[]; onChange: (filter: QueueFilter) => void }) {
  const t = useT()
  const { lang } = useAdmin()
  const [q, setQ] = useState(filter.q)
  useEffect(() => {
    if (q === filter.q) return
    const timer = setTimeout(() => onChange({ ...filter, q }), 350)
    return () => clearTimeout(timer)
  }, [q])
  // An article chosen from a comment card may be missing from the list (another status, or older).
  const listed = filter.page === '' || threads.some((th) => th.page === filter.page)

  return (
    <form class="filters" role="search" onSubmit={(e) => (e.preventDefault(), onChange({ ...filter, q }))}>
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
        <select name="page" value={filter.page} onChange={(e) => onChange({ ...filter, page: e.currentTarget.value })}>
          <option value="">{t.moderation.threadAll}</option>
          {!listed && <option value={filter.page}>{filter.page}</option>}
          {threads.map((th) => (
            <option key={th.page} value={th.page} title={th.url ?? th.page}>
              {`${th.title || th.page} (${formatCount(th.count, lang)})`}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t.moderation.search}</span>
        <input type="search" name="q" value={q} placeholder={t.moderation.searchPlaceholder} onInput={(e) => setQ(e.currentTarget.value)} />
      </label>
    </form>
  )
}
