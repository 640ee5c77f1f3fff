import type { AdminCommentView } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { useT } from '../i18n/i18n.ts'
import { formatWhen } from '../lib/format.ts'
import { ConfirmButton } from './ConfirmButton.tsx'
import { StatusBadge } from './StatusBadge.tsx'

/** What a moderator can do to one comment. */
export type ModerationAction = 'approve' | 'reject' | 'delete'

interface Props {
  comment: AdminCommentView
  selected: boolean
  active: boolean
  onToggle: () => void
  onFocus: () => void
  onAction: (action: ModerationAction) => Promise<void>
  onFilterThread: (page: string) => void
}

/** Only web addresses become links: a stored `javascript:` URL must never be clickable. */
const safeUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null)

/** One comment in the queue; its text is rendered as text, never as HTML. */
export function CommentCard({ comment: c, selected, active, onToggle, onFocus, onAction, onFilterThread }: Props) {
  const t = useT()
  const { config, lang } = useAdmin()
  const url = safeUrl(c.pageUrl)
  const title = c.pageTitle || c.page
  const live = c.status !== 'deleted'
  return (
    <li
      class={`comment-card${active ? ' active' : ''}${selected ? ' selected' : ''}`}
      data-comment-id={c.id}
      data-status={c.status}
      tabIndex={-1}
      onFocus={onFocus}
      onClick={onFocus}
      aria-current={active ? 'true' : undefined}
    >
      <div class="comment-head">
        <input type="checkbox" checked={selected} onChange={onToggle} aria-label={`${t.moderation.select} #${c.id}`} />
        <span class="comment-author">{c.author ?? t.moderation.guest}</span>
        {c.email && <span class="muted small">{c.email}</span>}
        <time class="muted small" dateTime={c.createdAt}>
          {formatWhen(c.createdAt, config.timezone, lang)}
          {c.editedAt && ` · ${t.moderation.edited}`}
        </time>
        <StatusBadge status={c.status} label={t.moderation.statusName[c.status] ?? c.status} />
        <span class="muted small">#{c.id}</span>
      </div>
      <div class="comment-page small">
        {url ? (
          <a href={url} target="_blank" rel="noopener noreferrer" title={t.moderation.openPage}>
            {title}
          </a>
        ) : (
          <span>{title}</span>
        )}{' '}
        <button type="button" class="link-btn" onClick={() => onFilterThread(c.page)}>
          {t.moderation.onlyThisThread}
        </button>
      </div>
      {c.parentId !== null && (
        <p class="muted small">
          ↳ {t.moderation.replyTo(c.parentId)}
          {c.replyTo && ` · @${c.replyTo}`}
        </p>
      )}
      <p class="comment-body">{c.body}</p>
      <div class="comment-actions">
        <span class="muted small">{t.moderation.likes(c.likes)}</span>
        {live && c.status !== 'approved' && (
          <button type="button" class="btn primary small" onClick={() => onAction('approve')}>
            {c.status === 'rejected' ? t.moderation.restore : t.moderation.approve}
          </button>
        )}
        {live && c.status !== 'rejected' && (
          <button type="button" class="btn small" onClick={() => onAction('reject')}>
            {t.moderation.reject}
          </button>
        )}
        <ConfirmButton
          class="small"
          label={t.moderation.delete}
          question={t.moderation.deleteConfirm}
          confirmLabel={t.detail.confirmDelete}
          onConfirm={() => onAction('delete')}
          danger
        />
      </div>
    </li>
  )
}
