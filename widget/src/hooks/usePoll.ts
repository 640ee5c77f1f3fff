import { useCallback, useEffect, useState } from 'preact/hooks'
import type { PollView } from '../../../server/types.ts'
import { ApiFailure, request } from '../api.ts'

export interface Failure {
  code: string
  retryAfter?: number | undefined
}

/** Counts as they will be once `chosen` is added: shown at once, replaced by the server's answer. */
export function withVote(poll: PollView, chosen: string[]): PollView {
  const r = poll.results
  if (!r) return { ...poll, myVote: chosen }
  const options = r.options.map((o) => ({ ...o, votes: o.votes + (chosen.includes(o.id) ? 1 : 0) }))
  const total = options.reduce((a, o) => a + o.votes, 0)
  return {
    ...poll,
    myVote: chosen,
    results: {
      totalVotes: r.totalVotes + chosen.length,
      totalVoters: r.totalVoters + 1,
      options: options.map((o) => ({ ...o, percent: total ? Math.round((o.votes * 100) / total) : 0 })),
    },
  }
}

const failure = (e: unknown): Failure =>
  e instanceof ApiFailure ? { code: e.code, retryAfter: e.retryAfter } : { code: 'other' }

/** Loads a poll and casts the reader's vote optimistically, rolling back when the server refuses. */
export function usePoll(api: string, id: string) {
  const [poll, setPoll] = useState<PollView | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const [sending, setSending] = useState(false)

  const load = useCallback(() => {
    setError(null)
    request<PollView>(api, `/api/polls/${encodeURIComponent(id)}`).then(setPoll, (e) => setError(failure(e)))
  }, [api, id])

  useEffect(load, [load])

  const vote = useCallback(
    async (chosen: string[]) => {
      if (!poll || sending) return
      const before = poll
      setSending(true)
      setError(null)
      setPoll(withVote(poll, chosen))
      try {
        setPoll(await request<PollView>(api, `/api/polls/${encodeURIComponent(id)}/votes`, 'POST', { options: chosen }))
      } catch (e) {
        const body = e instanceof ApiFailure ? (e.body?.poll as PollView | undefined) : undefined
        // On already_voted the server sends the poll as this reader should see it.
        setPoll(body ?? before)
        setError(failure(e))
      } finally {
        setSending(false)
      }
    },
    [api, id, poll, sending],
  )

  return { poll, error, sending, vote, reload: load }
}
