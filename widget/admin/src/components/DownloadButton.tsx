import { useState } from 'preact/hooks'
import { useAdmin } from '../hooks/useAdmin.ts'
import { errorText, useT } from '../i18n/i18n.ts'
import { ApiFailure } from '../lib/api.ts'

/** Downloads an export with the session token (a plain link could not send it). */
export function DownloadButton({ path, label }: { path: string; label: string }) {
  const t = useT()
  const { api } = useAdmin()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function download() {
    setBusy(true)
    setError(null)
    try {
      await api.download(path)
    } catch (e) {
      setError(errorText(t, e instanceof ApiFailure ? e.code : 'other'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <span class="download">
      <button type="button" class="btn" onClick={download} disabled={busy} aria-busy={busy}>
        ⤓ {busy ? t.detail.downloading : label}
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </span>
  )
}
