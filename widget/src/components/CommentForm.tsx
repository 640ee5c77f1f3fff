import { useState } from 'preact/hooks'
import { ApiFailure } from '../api.ts'
import type { NewComment } from '../hooks/useComments.ts'
import type { Dict } from '../i18n/vi.ts'
import { errorText } from '../i18n/translate.ts'
import { load, save } from '../store.ts'

const NAME_KEY = 'voxpop:name'
const MAX = 5000

interface Props {
  t: Dict
  label: string
  /** Starting text (editing, or "@name " on a reply). */
  initial?: string
  /** Show the name field (new comments and replies, not edits). */
  withName?: boolean
  onSubmit: (input: Omit<NewComment, 'parentId'>) => Promise<unknown>
  onCancel?: () => void
}

let forms = 0

/** A real form: textarea with a character counter, optional remembered name, hidden honeypot. */
export function CommentForm({ t, label, initial = '', withName, onSubmit, onCancel }: Props) {
  const [body, setBody] = useState(initial)
  const [name, setName] = useState(() => load(NAME_KEY) ?? '')
  const [sending, setSending] = useState(false)
  const [message, setMessage] = useState<[text: string, error: boolean] | null>(null)
  const [id] = useState(() => `vxf${++forms}`)
  const length = [...body.trim()].length

  const submit = async (e: Event) => {
    e.preventDefault()
    const website = ((e.currentTarget as HTMLFormElement).elements.namedItem('website') as HTMLInputElement | null)?.value ?? ''
    setSending(true)
    setMessage(null)
    try {
      if (withName) save(NAME_KEY, name.trim())
      const res = (await onSubmit({ body, author: withName ? name.trim() || undefined : undefined, website })) as { status?: string } | undefined
      setBody('')
      setMessage(res?.status && res.status !== 'approved' ? [t.pendingNote, false] : null)
    } catch (err) {
      const f = err instanceof ApiFailure ? err : null
      setMessage([errorText(t, f?.code ?? 'other', f?.retryAfter), true])
    } finally {
      setSending(false)
    }
  }

  return (
    <form class="cform" onSubmit={submit}>
      <label for={id} class="sr">
        {label}
      </label>
      <textarea id={id} rows={3} maxLength={MAX * 2} placeholder={t.placeholder} value={body} onInput={(e) => setBody(e.currentTarget.value)} required />
      {withName && (
        <input class="name" aria-label={t.name} placeholder={t.name} maxLength={60} value={name} autocomplete="nickname" onInput={(e) => setName(e.currentTarget.value)} />
      )}
      <input class="hp" name="website" tabIndex={-1} autocomplete="off" aria-hidden="true" />
      <div class="bar">
        <span class={length > MAX ? 'hint err' : 'hint'} aria-live="polite">
          {t.chars(length, MAX)}
        </span>
        {onCancel && (
          <button type="button" class="link" onClick={onCancel}>
            {t.cancel}
          </button>
        )}
        <button type="submit" class="btn" disabled={sending || length === 0 || length > MAX}>
          {sending ? t.sending : initial && !withName ? t.save : t.send}
        </button>
      </div>
      {message && (
        <p class={message[1] ? 'msg err' : 'msg'} role={message[1] ? 'alert' : 'status'}>
          {message[0]}
        </p>
      )}
    </form>
  )
}
