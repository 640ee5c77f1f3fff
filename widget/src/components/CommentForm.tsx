// Classic JSX: h() calls ship fewer bytes than the automatic runtime (no preact/jsx-runtime).
/** @jsxRuntime classic */
/** @jsx h */
import { Component, h } from 'preact'
import { toFailure } from '../api.ts'
import type { NewComment } from '../thread.ts'
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

interface State {
  body: string
  name: string
  sending?: boolean
  message?: [text: string, error: boolean] | null
}

let forms = 0

/** A real form: textarea with a character counter, optional remembered name, hidden honeypot. */
export class CommentForm extends Component<Props, State> {
  override state: State = { body: this.props.initial ?? '', name: load(NAME_KEY) ?? '' }
  id = `vxf${++forms}`

  submit = async (e: Event) => {
    e.preventDefault()
    const { t, withName, onSubmit } = this.props
    const name = this.state.name.trim()
    const website = ((e.currentTarget as HTMLFormElement).elements.namedItem('website') as HTMLInputElement | null)?.value ?? ''
    this.setState({ sending: true, message: null })
    try {
      if (withName) save(NAME_KEY, name)
      const res = (await onSubmit({ body: this.state.body, author: withName ? name || undefined : undefined, website })) as { status?: string } | undefined
      this.setState({ body: '', message: res?.status && res.status !== 'approved' ? [t.pendingNote, false] : null })
    } catch (err) {
      this.setState({ message: [errorText(t, toFailure(err)), true] })
    } finally {
      this.setState({ sending: false })
    }
  }

  override render({ t, label, initial, withName, onCancel }: Props, { body, name, sending, message }: State) {
    const length = [...body.trim()].length
    return (
      <form class="cform" onSubmit={this.submit}>
        <label for={this.id} class="sr">
          {label}
        </label>
        <textarea id={this.id} rows={3} maxLength={MAX * 2} placeholder={t.placeholder} value={body} onInput={(e) => this.setState({ body: e.currentTarget.value })} required />
        {withName && (
          <input class="name" aria-label={t.name} placeholder={t.name} maxLength={60} value={name} autocomplete="nickname" onInput={(e) => this.setState({ name: e.currentTarget.value })} />
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
}
