import { useState } from 'preact/hooks'
import { errorText, useT, type Lang } from '../i18n/i18n.ts'
import { ApiFailure } from '../lib/api.ts'
import { LangSwitch } from './LangSwitch.tsx'

interface Props {
  notice?: 'expired' | 'signedOut'
  onSignIn: (password: string) => Promise<void>
  onLang: (lang: Lang) => void
}

/** The password form; explains why the editor is here again when the session expired. */
export function SignIn({ notice, onSignIn, onLang }: Props) {
  const t = useT()
  const [password, setPassword] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function submit(event: Event) {
    event.preventDefault()
    if (!password || sending) return
    setSending(true)
    setError(null)
    try {
      await onSignIn(password)
    } catch (e) {
      setError(errorText(t, e instanceof ApiFailure ? e.code : 'other'))
      setSending(false)
    }
  }

  return (
    <main class="signin">
      <div class="signin-card">
        <LangSwitch onLang={onLang} />
        <h1>{t.signIn.title}</h1>
        <p class="muted">{t.signIn.intro}</p>
        {notice && (
          <p class="notice" role="status">
            {notice === 'expired' ? t.signIn.expired : t.signIn.signedOut}
          </p>
        )}
        <form onSubmit={submit}>
          <label class="field">
            <span>{t.signIn.password}</span>
            <input
              type="password"
              name="password"
              autocomplete="current-password"
              required
              autofocus
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'signin-error' : undefined}
            />
          </label>
          {error && (
            <p id="signin-error" class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="btn primary wide" disabled={sending || !password}>
            {sending ? t.signIn.sending : t.signIn.submit}
          </button>
        </form>
      </div>
    </main>
  )
}
