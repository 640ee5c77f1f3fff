import { writeTransaction, type Db } from './open.ts'
import type { Dedupe, ResultsVisibility } from '../types.ts'
import { randomId } from '../lib/crypto.ts'

/** A poll as stored, with its options in display order. Times in epoch milliseconds. */
export interface PollRecord {
  id: string
  question: string
  multiple: boolean
  maxChoices: number
  opensAt: number | null
  closesAt: number | null
  resultsVisibility: ResultsVisibility
  totalVoters: number
  totalVotes: number
  flaggedVotes: number
  maxVotesPerIp: number
  ipWindowSeconds: number
  dedupe: Dedupe
  createdAt: number
  updatedAt: number
  options: { id: string; label: string; votes: number }[]
}

export interface PollInput {
  question: string
  /** Existing option ids are kept (and may be relabelled); entries without an id are new. */
  options: { id?: string; label: string }[]
  multiple: boolean
  maxChoices: number
  opensAt: number | null
  closesAt: number | null
  resultsVisibility: ResultsVisibility
  maxVotesPerIp: number
  ipWindowSeconds: number
  dedupe: Dedupe
}

export interface Ballot {
  pollId: string
  voterHash: string
  ipHash: string
  optionIds: string[]
  at: number
}

/** `counted` and `flagged` were stored; `duplicate` means this voter had already voted. */
export type BallotOutcome = 'counted' | 'flagged' | 'duplicate'

interface PollRow {
  id: string
  question: string
  multiple: number
  max_choices: number
  opens_at: number | null
  closes_at: number | null
  results_visibility: ResultsVisibility
  total_voters: number
  total_votes: number
  flagged_votes: number
  max_votes_per_ip: number
  ip_window_seconds: number
  dedupe: Dedupe
  created_at: number
  updated_at: number
}

/** Prepares every poll statement once and returns synchronous accessors. */
export function createPollStore(db: Db) {
  const q = {
    poll: db.prepare<[string], PollRow>('SELECT * FROM polls WHERE id = ?'),
    options: db.prepare<[string], { id: string; label: string; votes: number }>(
      'SELECT id, label, votes FROM poll_options WHERE poll_id = ? ORDER BY position',
    ),
    // The read every widget makes: the poll and its options (counters included) in one statement.
    withOptions: db.prepare<[string], PollRow & { options_json: string }>(
      `SELECT p.*, (SELECT json_group_array(json_array(o.id, o.label, o.votes) ORDER BY o.position)
         FROM poll_options o WHERE o.poll_id = p.id) AS options_json
       FROM polls p WHERE p.id = ?`,
    ),
    list: db.prepare<[], PollRow>('SELECT * FROM polls ORDER BY created_at DESC, rowid DESC'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM polls'),
    insertPoll: db.prepare(
      `INSERT INTO polls (id, question, multiple, max_choices, opens_at, closes_at, results_visibility,
         max_votes_per_ip, ip_window_seconds, dedupe, created_at, updated_at)
       VALUES (@id, @question, @multiple, @maxChoices, @opensAt, @closesAt, @resultsVisibility,
         @maxVotesPerIp, @ipWindowSeconds, @dedupe, @now, @now)`,
    ),
    updatePoll: db.prepare(
      `UPDATE polls SET question = @question, multiple = @multiple, max_choices = @maxChoices,
         opens_at = @opensAt, closes_at = @closesAt, results_visibility = @resultsVisibility,
         max_votes_per_ip = @maxVotesPerIp, ip_window_seconds = @ipWindowSeconds, dedupe = @dedupe,
         updated_at = @now
       WHERE id = @id`,
    ),
    insertOption: db.prepare('INSERT INTO poll_options (id, poll_id, position, label) VALUES (?, ?, ?, ?)'),
    updateOption: db.prepare('UPDATE poll_options SET position = ?, label = ? WHERE id = ? AND poll_id = ?'),
    deleteOption: db.prepare('DELETE FROM poll_options WHERE id = ? AND poll_id = ?'),
    deletePoll: db.prepare('DELETE FROM polls WHERE id = ?'),
    myVote: db.prepare<[string, string], { option_ids: string }>(
      'SELECT option_ids FROM votes WHERE poll_id = ? AND voter_hash = ?',
    ),
    // Counts no further than the cap (migration 004's partial index holds counted votes only).
    votesFromIp: db.prepare<[string, string, number, number], { n: number }>(
      `SELECT count(*) AS n FROM (
         SELECT 1 FROM votes INDEXED BY votes_poll_ip_counted
         WHERE poll_id = ? AND ip_hash = ? AND created_at > ? AND status = 'counted' LIMIT ?)`,
    ),
    insertVote: db.prepare(
      `INSERT INTO votes (poll_id, voter_hash, ip_hash, option_ids, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (poll_id, voter_hash) DO NOTHING`,
    ),
    optionUsed: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM votes, json_each(votes.option_ids) WHERE votes.poll_id = ? AND json_each.value = ? LIMIT 1',
    ),
    bumpOption: db.prepare('UPDATE poll_options SET votes = votes + ? WHERE id = ? AND poll_id = ?'),
    bumpTotals: db.prepare(
      'UPDATE polls SET total_voters = total_voters + ?, total_votes = total_votes + ?, flagged_votes = flagged_votes + ? WHERE id = ?',
    ),
  }

  function toRecord(row: PollRow, options = q.options.all(row.id)): PollRecord {
    return {
      id: row.id,
      question: row.question,
      multiple: row.multiple === 1,
      maxChoices: row.max_choices,
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      resultsVisibility: row.results_visibility,
      totalVoters: row.total_voters,
      totalVotes: row.total_votes,
      flaggedVotes: row.flagged_votes,
      maxVotesPerIp: row.max_votes_per_ip,
      ipWindowSeconds: row.ip_window_seconds,
      dedupe: row.dedupe,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      options,
    }
  }

  function params(id: string, input: PollInput, now: number) {
    return {
      id,
      question: input.question,
      multiple: input.multiple ? 1 : 0,
      maxChoices: input.maxChoices,
      opensAt: input.opensAt,
      closesAt: input.closesAt,
      resultsVisibility: input.resultsVisibility,
      maxVotesPerIp: input.maxVotesPerIp,
      ipWindowSeconds: input.ipWindowSeconds,
      dedupe: input.dedupe,
      now,
    }
  }

  const createTx = writeTransaction(db, (id: string, input: PollInput, now: number) => {
    q.insertPoll.run(params(id, input, now))
    input.options.forEach((o, i) => q.insertOption.run(randomId(6), id, i, o.label))
  })

  const updateTx = writeTransaction(db, (id: string, input: PollInput, now: number, removed: string[]) => {
    q.updatePoll.run(params(id, input, now))
    for (const optionId of removed) q.deleteOption.run(optionId, id)
    input.options.forEach((o, i) => {
      if (o.id) q.updateOption.run(i, o.label, o.id, id)
      else q.insertOption.run(randomId(6), id, i, o.label)
    })
  })

  /** Stores a batch of ballots in one transaction: one commit (one fsync with VOXPOP_DB_SYNC=full), however many voters. */
  const castTx = writeTransaction(db, (ballots: Ballot[]): BallotOutcome[] => {
    // A poll's rules (cap, window, dedupe) do not change within the batch: read them once.
    const rules = new Map<string, ReturnType<typeof q.poll.get>>()
    // Counters move once per poll and option at the end of the batch, in the same transaction.
    // (The per-address cap counts stored rows, which each insert below updates at once.)
    const totals = new Map<string, { voters: number; votes: number; flagged: number; options: Map<string, number> }>()
    const totalsOf = (pollId: string) => {
      let t = totals.get(pollId)
      if (!t) totals.set(pollId, (t = { voters: 0, votes: 0, flagged: 0, options: new Map() }))
      return t
    }
    const outcomes = ballots.map((b): BallotOutcome => {
      if (!rules.has(b.pollId)) rules.set(b.pollId, q.poll.get(b.pollId))
      const poll = rules.get(b.pollId)
      if (!poll) return 'duplicate'
      // dedupe 'voter' trusts the voter token alone; 'voter+ip' also caps counted ballots per address.
      const since = b.at - poll.ip_window_seconds * 1000
      const overCap = poll.dedupe === 'voter+ip' && q.votesFromIp.get(b.pollId, b.ipHash, since, poll.max_votes_per_ip)!.n >= poll.max_votes_per_ip
      const status = overCap ? 'flagged' : 'counted'
      const inserted = q.insertVote.run(b.pollId, b.voterHash, b.ipHash, JSON.stringify(b.optionIds), status, b.at)
      if (inserted.changes === 0) return 'duplicate'
      const t = totalsOf(b.pollId)
      if (overCap) {
        t.flagged++
      } else {
        t.voters++
        t.votes += b.optionIds.length
        for (const optionId of b.optionIds) t.options.set(optionId, (t.options.get(optionId) ?? 0) + 1)
      }
      return status
    })
    for (const [pollId, t] of totals) {
      for (const [optionId, n] of t.options) q.bumpOption.run(n, optionId, pollId)
      q.bumpTotals.run(t.voters, t.votes, t.flagged, pollId)
    }
    return outcomes
  })

  return {
    /** The poll with its options, or null. */
    get(id: string): PollRecord | null {
      const row = q.withOptions.get(id)
      if (!row) return null
      const options = (JSON.parse(row.options_json) as [string, string, number][]).map(([id, label, votes]) => ({ id, label, votes }))
      return toRecord(row, options)
    },
    /** Every poll, newest first. */
    list(): PollRecord[] {
      return q.list.all().map((row) => toRecord(row))
    },
    count(): number {
      return q.count.get()!.n
    },
    /** Creates a poll and returns its id. */
    create(input: PollInput, now: number, id = randomId()): string {
      createTx(id, input, now)
      return id
    },
    /** Replaces a poll's settings and options; `removed` lists option ids to delete. */
    update(id: string, input: PollInput, now: number, removed: string[]): void {
      updateTx(id, input, now, removed)
    },
    /** Deletes a poll with its options and votes; false when there was none. */
    remove(id: string): boolean {
      return q.deletePoll.run(id).changes > 0
    },
    /** Whether any ballot, counted or flagged, names this option. */
    optionHasVotes(pollId: string, optionId: string): boolean {
      return q.optionUsed.get(pollId, optionId) !== undefined
    },
    /** The option ids this voter chose, or null when they have not voted. */
    myVote(pollId: string, voterHash: string): string[] | null {
      const row = q.myVote.get(pollId, voterHash)
      return row ? (JSON.parse(row.option_ids) as string[]) : null
    },
    /** Stores ballots atomically with their counters; one outcome per ballot. */
    cast(ballots: Ballot[]): BallotOutcome[] {
      return castTx(ballots)
    },
  }
}

export type PollStore = ReturnType<typeof createPollStore>
