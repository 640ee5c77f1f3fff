import type { AdminPollView, PollTimeline } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { href, navigate } from '../hooks/useHashRoute.ts'
import { useLoader } from '../hooks/useLoader.ts'
import { errorText, useT } from '../i18n/i18n.ts'
import { formatCount, formatWhen } from '../lib/format.ts'
import { ConfirmButton } from './ConfirmButton.tsx'
import { DownloadButton } from './DownloadButton.tsx'
import { EmbedSnippet } from './EmbedSnippet.tsx'
import { ResultsChart } from './ResultsChart.tsx'
import { StatCard } from './StatCard.tsx'
import { StatusBadge } from './StatusBadge.tsx'
import { TimelineChart } from './TimelineChart.tsx'

/** One poll: live results, votes over time, embed code, exports, and close / edit / delete. */
export function PollDetail({ id }: { id: string }) {
  const t = useT()
  const { api, config, lang } = useAdmin()
  const path = `/api/admin/polls/${encodeURIComponent(id)}`
  const poll = useLoader(() => api.request<AdminPollView>('GET', path), id, 5_000)
  const timeline = useLoader(() => api.request<PollTimeline>('GET', `${path}/timeline`), id, 30_000)
  const when = (iso: string) => formatWhen(iso, config.timezone, lang)

  if (!poll.data) {
    return poll.error ? (
      <div>
        <p class="error" role="alert">
          {errorText(t, poll.error.code)}
        </p>
        <a href={href({ name: 'polls' })}>← {t.detail.back}</a>
      </div>
    ) : (
      <p role="status">{t.loading}</p>
    )
  }
  const p = poll.data

  async function closeNow() {
    await api.request('PATCH', path, { closesAt: new Date().toISOString() })
    await Promise.all([poll.reload(), timeline.reload()])
  }

  async function remove() {
    await api.request('DELETE', path)
    navigate({ name: 'polls' })
  }

  return (
    <article class="poll-detail" aria-labelledby="poll-title" data-poll-id={p.id}>
      <a class="back" href={href({ name: 'polls' })}>
        ← {t.detail.back}
      </a>
      <div class="section-head">
        <h1 id="poll-title">{p.question}</h1>
        <StatusBadge status={p.status} label={t.polls.statusName[p.status] ?? p.status} />
      </div>
      <p class="muted small">
        {t.detail.created(when(p.createdAt))}
        {p.opensAt && <> · {t.detail.opens(when(p.opensAt))}</>} · {p.closesAt ? t.detail.closes(when(p.closesAt)) : t.detail.noClose}
      </p>
      <div class="actions">
        <a class="btn" href={href({ name: 'poll-edit', id: p.id })}>
          {t.detail.edit}
        </a>
        {p.status === 'open' && <ConfirmButton label={t.detail.closeNow} question={t.detail.closeConfirm} confirmLabel={t.detail.confirmYes} onConfirm={closeNow} />}
        <ConfirmButton label={t.detail.delete} question={t.detail.deleteConfirm} confirmLabel={t.detail.confirmDelete} onConfirm={remove} danger />
      </div>
      {poll.error && (
        <p class="error" role="alert">
          {errorText(t, poll.error.code)}
        </p>
      )}

      <div class="stats">
        <StatCard label={t.detail.totalVoters} value={formatCount(p.results.totalVoters, lang)} />
        <StatCard label={t.detail.totalVotes} value={formatCount(p.results.totalVotes, lang)} />
        <StatCard label={t.detail.flagged} value={formatCount(p.flaggedVotes, lang)} />
      </div>

      <div class="columns">
        <section class="card" aria-labelledby="results-title">
          <h2 id="results-title">{t.detail.results}</h2>
          <ResultsChart poll={p} />
        </section>
        <section class="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">{t.detail.timeline}</h2>
          {timeline.data ? <TimelineChart timeline={timeline.data} /> : timeline.error ? <p class="error">{errorText(t, timeline.error.code)}</p> : <p>{t.loading}</p>}
        </section>
      </div>

      <section class="card" aria-labelledby="embed-title">
        <h2 id="embed-title">{t.detail.embed}</h2>
        <EmbedSnippet pollId={p.id} />
      </section>

      <section class="card" aria-labelledby="exports-title">
        <h2 id="exports-title">{t.detail.exports}</h2>
        <p class="muted small">{t.detail.exportHint}</p>
        <div class="row">
          <DownloadButton path={`${path}/results.csv`} label={t.detail.exportResults} />
          <DownloadButton path={`${path}/votes.csv`} label={t.detail.exportVotes} />
        </div>
      </section>
    </article>
  )
}
