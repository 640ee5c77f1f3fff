import { useT } from '../i18n/i18n.ts'
import type { ModerationAction } from './CommentCard.tsx'
import { ConfirmButton } from './ConfirmButton.tsx'

interface Props {
  count: number
  busy: boolean
  onAction: (action: ModerationAction) => Promise<void>
  onClear: () => void
}

/** Actions on every selected comment at once; stays in view while the list scrolls. */
export function BulkBar({ count, busy, onAction, onClear }: Props) {
  const t = useT()
  return (
    <div class="bulk-bar" role="region" aria-label={t.moderation.selected(count)}>
      <span class="bulk-count">{t.moderation.selected(count)}</span>
      <button type="button" class="btn primary" disabled={busy} onClick={() => onAction('approve')} aria-label={t.moderation.approveSelected}>
        {t.moderation.approve}
      </button>
      <button type="button" class="btn" disabled={busy} onClick={() => onAction('reject')} aria-label={t.moderation.rejectSelected}>
        {t.moderation.reject}
      </button>
      <ConfirmButton
        label={t.moderation.delete}
        ariaLabel={t.moderation.deleteSelected}
        question={t.moderation.deleteMany(count)}
        confirmLabel={t.detail.confirmDelete}
        onConfirm={() => onAction('delete')}
        danger
      />
      <button type="button" class="btn ghost" disabled={busy} onClick={onClear}>
        {t.moderation.clearSelection}
      </button>
    </div>
  )
}
