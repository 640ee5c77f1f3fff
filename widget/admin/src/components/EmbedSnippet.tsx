import { useRef, useState } from 'preact/hooks'
import { useT } from '../i18n/i18n.ts'
import { copyText } from '../lib/clipboard.ts'
import { embedSnippet } from '../lib/snippet.ts'

/** The embed code in a read-only box with a copy button (Clipboard API, else select-and-copy). */
export function EmbedSnippet({ pollId }: { pollId: string }) {
  const t = useT()
  const box = useRef<HTMLTextAreaElement>(null)
  const [result, setResult] = useState<'copied' | 'failed' | null>(null)
  const snippet = embedSnippet(location.origin, pollId)

  async function copy() {
    setResult((await copyText(snippet, box.current)) ? 'copied' : 'failed')
  }

  return (
    <div class="embed">
      <label for="embed-code" class="muted small">
        {t.detail.embedHint}
      </label>
      <textarea id="embed-code" class="code" readOnly rows={2} spellcheck={false} value={snippet} onFocus={(e) => e.currentTarget.select()} />
      <div class="row">
        <button type="button" class="btn" onClick={copy}>
          {t.detail.copy}
        </button>
        <span role="status" class={result === 'failed' ? 'error small' : 'ok small'}>
          {result === 'copied' ? t.detail.copied : result === 'failed' ? t.detail.copyFailed : ''}
        </span>
      </div>
    </div>
  )
}
