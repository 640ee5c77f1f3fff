import type { AdminPollView } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { useT } from '../i18n/i18n.ts'
import { formatCount } from '../lib/format.ts'

/**
 * The results as horizontal bars: labels and numbers are HTML (they wrap on a phone), each bar an
 * inline SVG scaled to the leading option so small differences stay visible.
 */
export function ResultsChart({ poll, compact = false }: { poll: AdminPollView; compact?: boolean }) {
  const t = useT()
  const { lang } = useAdmin()
  const counts = new Map(poll.results.options.map((o) => [o.id, o]))
  const top = Math.max(1, ...poll.results.options.map((o) => o.votes))
  return (
    <ul class={compact ? 'results compact' : 'results'} aria-label={t.detail.chartLabel}>
      {poll.options.map((option) => {
        const result = counts.get(option.id) ?? { votes: 0, percent: 0 }
        const leading = result.votes > 0 && result.votes === top
        return (
          <li key={option.id} class={leading ? 'result leading' : 'result'} data-option-id={option.id}>
            <div class="result-head">
              <span class="result-label">{option.label}</span>
              <span class="result-figures">
                <b>{result.percent}%</b> · <span data-testid="votes">{formatCount(result.votes, lang)}</span>
              </span>
            </div>
            <svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
              <rect class="bar-track" x="0" y="0" width="100" height="8" rx="2" />
              <rect class="bar-fill" x="0" y="0" width={(result.votes / top) * 100} height="8" rx="2" />
            </svg>
          </li>
        )
      })}
    </ul>
  )
}
