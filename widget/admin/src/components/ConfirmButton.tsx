import { useEffect, useRef, useState } from 'preact/hooks'
import { errorText, useT } from '../i18n/i18n.ts'
import { ApiFailure } from '../lib/api.ts'

interface Props {
  label: string
  question: string
  confirmLabel: string
  onConfirm: () => Promise<void>
  danger?: boolean
  class?: string
  /** A fuller name for screen readers when `label` alone is ambiguous. */
  ariaLabel?: string
}

/** A button that asks first, in place: the question with "yes" and "no", then runs `onConfirm`. */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, danger = false, class: extra = '', ariaLabel }: Props) {
  const t = useT()
  const [state, setState] = useState<'idle' | 'asking' | 'busy'>('idle')
  const [error, setError] = useState<string | null>(null)
  const yes = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (state === 'asking') yes.current?.focus()
  }, [state])

  async function confirm() {
    setState('busy')
    setError(null)
    try {
      await onConfirm()
      setState('idle')
    } catch (e) {
      setError(errorText(t, e instanceof ApiFailure ? e.code : 'other'))
      setState('asking')
    }
  }

  if (state === 'idle') {
    return (
      <button type="button" class={`btn ${danger ? 'danger' : ''} ${extra}`} aria-label={ariaLabel} onClick={() => setState('asking')}>
        {label}
      </button>
    )
  }
  return (
    <div class="confirm" role="alertdialog" aria-label={question}>
      <p>{question}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button ref={yes} type="button" class={`btn ${danger ? 'danger' : 'primary'}`} disabled={state === 'busy'} onClick={confirm}>
        {confirmLabel}
      </button>
      <button type="button" class="btn ghost" disabled={state === 'busy'} onClick={() => setState('idle')}>
        {t.detail.confirmNo}
      </button>
    </div>
  )
}
