import type { AdminPollView } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { useLoader } from '../hooks/useLoader.ts'
import { errorText, useT } from '../i18n/i18n.ts'
import { draftOf, emptyDraft } from '../lib/poll-draft.ts'
import { PollForm } from './PollForm.tsx'

/** The create screen, or the edit screen once the poll has loaded. */
export function PollEditor({ id }: { id?: string }) {
  const t = useT()
  const { api, config } = useAdmin()
  const { data, error } = useLoader(
    () => (id ? api.request<AdminPollView>('GET', `/api/admin/polls/${encodeURIComponent(id)}`) : Promise.resolve(null)),
    id ?? 'new',
  )
  if (!id) return <PollForm initial={emptyDraft()} />
  if (error) {
    return (
      <p class="error" role="alert">
        {errorText(t, error.code)}
      </p>
    )
  }
  if (!data) return <p role="status">{t.loading}</p>
  return <PollForm id={id} initial={draftOf(data, config.timezone)} />
}
