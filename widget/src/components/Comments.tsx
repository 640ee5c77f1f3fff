import type { WidgetConfig } from '../config.ts'
import css from '../comments.css?inline'
import { useComments } from '../hooks/useComments.ts'
import { dict, errorText } from '../i18n/translate.ts'
import { CommentForm } from './CommentForm.tsx'
import { CommentItem } from './CommentItem.tsx'

/** The comments part's own CSS, adopted into the shadow root when this chunk loads. */
export const commentsCss = css

interface Props {
  config: WidgetConfig
  page: string
  title: string
}

/** A comment thread: count, "write a comment" form, sort switch, list with replies, load more. */
export function Comments({ config, page, title }: Props) {
  const t = dict(config.lang)
  const s = useComments(config.api, page, title)
  const item = { t, lang: config.lang, onReply: s.post, onLike: s.like, onEdit: s.edit, onRemove: s.remove }
  return (
    <section class="box" aria-busy={s.busy}>
      <h2 class="count">{s.meta ? t.count(s.meta.total) : t.loadingComments}</h2>
      <CommentForm t={t} label={t.write} withName onSubmit={s.post} />
      <div class="sortbar">
        <label>
          {t.sort}{' '}
          <select value={s.sort} onChange={(e) => s.setSort(e.currentTarget.value)}>
            {Object.entries(t.sorts).map(([k, v]) => (
              <option key={k} value={k}>{v}</option>
            ))}
          </select>
        </label>
      </div>
      {s.error && <p class="msg err" role="alert">{errorText(t, s.error.code, s.error.retryAfter)}</p>}
      {s.meta && !s.list.length && !s.error && <p class="hint">{t.empty}</p>}
      <ul class="list">
        {s.list.map((x) => (
          <CommentItem key={x.id} item={x} {...item} />
        ))}
      </ul>
      {s.meta?.next && (
        <button type="button" class="btn ghost" disabled={s.busy} onClick={s.more}>
          {t.more}
        </button>
      )}
    </section>
  )
}
