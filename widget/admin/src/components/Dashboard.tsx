import type { AdminPollView, AdminStats } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { href } from '../hooks/useHashRoute.ts'
import { useLoader } from '../hooks/useLoader.ts'
import { errorText, useT } from '../i18n/i18n.ts'
import { formatClock, formatCount } from '../lib/format.ts'
import { ResultsChart } from './ResultsChart.tsx'
import { StatCard } from './StatCard.tsx'

/** Live totals refresh this often. */
const REFRESH_MS = 5_000

interface Overview {
  stats: AdminStats
  polls: AdminPollView[]
  at: number
}

/** Today at a glance: counts, and the open polls with live results. */
export function Dashboard() {
  const t = useT()
  const { api, config, lang } = useAdmin()
  const { data, error } = useLoader<Overview>(
    async () => {
      const [stats, list] = await Promise.all([
        api.request<AdminStats>('GET', '/api/admin/stats'),
        api.request<{ polls: AdminPollView[] }>('GET', '/api/admin/polls'),
      ])
      return { stats, polls: list.polls.filter((p) => p.status === 'open'), at: Date.now() }
    },
    'dashboard',
    REFRESH_MS,
  )

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t.dashboard.title}</h1>
      {error && (
        <p class="error" role="alert">
          {errorText(t, error.code)}
        </p>
      )}
      {!data ? (
        !error && <p role="status">{t.loading}</p>
      ) : (
        <>
          <div class="stats">
            <StatCard label={t.dashboard.openPolls} value={formatCount(data.stats.openPolls, lang)} />
            <StatCard label={t.dashboard.pendingComments} value={formatCount(data.stats.pendingComments, lang)}>
              <a href={href({ name: 'moderation' })}>{t.dashboard.goModerate}</a>
            </StatCard>
            <StatCard label={t.dashboard.votesToday} value={formatCount(data.stats.votesToday, lang)} />
            <StatCard label={t.dashboard.commentsToday} value={formatCount(data.stats.commentsToday, lang)} />
          </div>
          <p class="muted small" aria-live="off">
            {t.dashboard.updatedAt(formatClock(data.at, config.timezone, lang))}
          </p>
          <h2>{t.dashboard.livePolls}</h2>
          {data.polls.length === 0 ? (
            <p class="muted">{t.dashboard.noOpenPolls}</p>
          ) : (
            <ul class="live-polls">
              {data.polls.map((poll) => (
                <li key={poll.id} class="card" data-poll-id={poll.id}>
                  <h3>
                    <a href={href({ name: 'poll', id: poll.id })}>{poll.question}</a>
                  </h3>
                  <p class="totals">
                    <span>
                      {t.polls.voters}: <b data-testid="voters">{formatCount(poll.results.totalVoters, lang)}</b>
                    </span>
                    <span>
                      {t.polls.votes}: <b>{formatCount(poll.results.totalVotes, lang)}</b>
                    </span>
                  </p>
                  <ResultsChart poll={poll} compact />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  )
}
