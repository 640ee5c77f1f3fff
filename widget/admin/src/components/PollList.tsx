import type { AdminPollView } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { href } from '../hooks/useHashRoute.ts'
import { useLoader } from '../hooks/useLoader.ts'
import { errorText, useT } from '../i18n/i18n.ts'
import { formatCount, formatWhen } from '../lib/format.ts'
import { StatusBadge } from './StatusBadge.tsx'

/** Every poll, newest first: status, votes, voters, flagged votes and schedule. */
export function PollList() {
  const t = useT()
  const { api, config, lang } = useAdmin()
  const { data, error } = useLoader(() => api.request<{ polls: AdminPollView[] }>('GET', '/api/admin/polls'), 'polls', 10_000)
  const when = (iso: string | null) => (iso ? formatWhen(iso, config.timezone, lang) : t.polls.never)

  return (
    <section aria-labelledby="polls-title">
      <div class="section-head">
        <h1 id="polls-title">{t.polls.title}</h1>
        <a class="btn primary" href={href({ name: 'poll-new' })}>
          {t.polls.create}
        </a>
      </div>
      {error && (
        <p class="error" role="alert">
          {errorText(t, error.code)}
        </p>
      )}
      {!data ? (
        !error && <p role="status">{t.loading}</p>
      ) : data.polls.length === 0 ? (
        <p class="muted">{t.polls.empty}</p>
      ) : (
        <table class="table polls-table">
          <thead>
            <tr>
              <th scope="col">{t.polls.question}</th>
              <th scope="col">{t.polls.status}</th>
              <th scope="col" class="num">
                {t.polls.votes}
              </th>
              <th scope="col" class="num">
                {t.polls.voters}
              </th>
              <th scope="col" class="num">
                {t.polls.flagged}
              </th>
              <th scope="col">{t.polls.window}</th>
            </tr>
          </thead>
          <tbody>
            {data.polls.map((poll) => (
              <tr key={poll.id} data-poll-id={poll.id}>
                <td data-label={t.polls.question}>
                  <a href={href({ name: 'poll', id: poll.id })}>{poll.question}</a>
                </td>
                <td data-label={t.polls.status}>
                  <StatusBadge status={poll.status} label={t.polls.statusName[poll.status] ?? poll.status} />
                </td>
                <td data-label={t.polls.votes} class="num">
                  {formatCount(poll.results.totalVotes, lang)}
                </td>
                <td data-label={t.polls.voters} class="num">
                  {formatCount(poll.results.totalVoters, lang)}
                </td>
                <td data-label={t.polls.flagged} class="num">
                  {formatCount(poll.flaggedVotes, lang)}
                </td>
                <td data-label={t.polls.window} class="small">
                  {t.polls.opens}: {when(poll.opensAt)}
                  <br />
                  {t.polls.closes}: {when(poll.closesAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
