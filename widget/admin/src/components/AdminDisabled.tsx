import { useT } from '../i18n/i18n.ts'

/** Shown while the server has no admin password: says exactly how to turn the console on. */
export function AdminDisabled({ onRetry }: { onRetry: () => void }) {
  const t = useT()
  return (
    <main class="signin">
      <div class="signin-card">
        <h1>{t.disabled.title}</h1>
        <p>{t.disabled.body}</p>
        <p>{t.disabled.how}</p>
        <pre class="code">
          <code>VOXPOP_ADMIN_PASSWORD='…' npm start</code>
        </pre>
        <button type="button" class="btn" onClick={onRetry}>
          {t.disabled.retry}
        </button>
      </div>
    </main>
  )
}
