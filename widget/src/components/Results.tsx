// Classic JSX: h() calls ship fewer bytes than the automatic runtime (no preact/jsx-runtime).
/** @jsxRuntime classic */
/** @jsx h */
import { h } from 'preact'
import type { PollView } from '../../../server/types.ts'
import type { Dict } from '../i18n/vi.ts'

interface Props {
  poll: PollView
  t: Dict
}

/** Result bars with percentage and count, the reader's own choice marked, and the total. */
export function Results({ poll, t }: Props) {
  const results = poll.results!
  const mine = new Set(poll.myVote ?? [])
  return (
    <div class="results">
      <ul class="bars">
        {poll.options.map((o) => {
          const r = results.options.find((x) => x.id === o.id) ?? { votes: 0, percent: 0 }
          const chosen = mine.has(o.id)
          return (
            <li key={o.id} class={chosen ? 'mine' : undefined}>
              <div class="row">
                <span class="label">
                  {o.label}
                  {chosen && <span class="tag"> ✓ {t.yourChoice}</span>}
                </span>
                <span class="num">
                  <b>{r.percent}%</b> · {t.votes(r.votes)}
                </span>
              </div>
              <div class="track" aria-hidden="true">
                <div class="fill" style={`width:${r.percent}%`} />
              </div>
            </li>
          )
        })}
      </ul>
      <p class="total">{t.voters(results.totalVoters)}</p>
    </div>
  )
}
