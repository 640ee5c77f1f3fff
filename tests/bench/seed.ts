/**
 * Builds the bench database before the server starts, through the server's own stores where
 * they exist (polls, comments) and with plain SQL for the million ballots (one transaction:
 * far faster than casting them over HTTP).
 */
import { randomBytes } from 'node:crypto'
import { migrate } from '../../server/db/migrate.ts'
import { openDatabase } from '../../server/db/open.ts'
import { createCommentStore } from '../../server/db/comments.ts'
import { createPollStore, type PollInput } from '../../server/db/polls.ts'

/** How much data each seeded object holds. */
export interface SeedSizes {
  smallPollVotes: number
  bigPollVotes: number
  smallThreadComments: number
  bigThreadComments: number
  /** Approved comments (replies included) in the thread the list scenario reads. */
  listThreadComments: number
  countKeys: number
}

/** The ids and keys the scenarios use. */
export const IDS = {
  livePoll: 'bench-live',
  smallPoll: 'growth-small',
  bigPoll: 'growth-big',
  listThread: 'bench-list',
  postThread: 'bench-post',
  smallThread: 'growth-small',
  bigThread: 'growth-big',
  countKey: (i: number) => `bench-count-${i}`,
} as const

const DAY = 86_400_000

/** Random 43-character strings shaped like the stored HMACs; drawn in bulk (one randomBytes call per 4096). */
function createHashSource() {
  let pool = Buffer.alloc(0)
  let at = 0
  return () => {
    if (at === pool.length) {
      pool = randomBytes(32 * 4096)
      at = 0
    }
    at += 32
    return pool.toString('base64url', at - 32, at)
  }
}

/** The bench polls: four options, one choice, results always shown, no per-address cap. */
export function pollInput(question: string): PollInput {
  return {
    question,
    options: [{ label: 'Điện thoại' }, { label: 'Máy tính' }, { label: 'Báo giấy' }, { label: 'Ti vi' }],
    multiple: false,
    maxChoices: 1,
    opensAt: null,
    closesAt: null,
    resultsVisibility: 'always',
    // Every bench request comes from 127.0.0.1: without this the per-IP cap would flag them.
    maxVotesPerIp: 1_000_000_000,
    ipWindowSeconds: 3600,
    dedupe: 'voter',
  }
}

const BODY =
  'Bài viết rất hay, cảm ơn tác giả. Tôi nghĩ chính quyền nên lắng nghe ý kiến người dân nhiều hơn trước khi quyết định những việc ảnh hưởng tới cả thành phố.'

/** Creates and fills the bench database at `path`; returns how long seeding took in ms. */
export function seedDatabase(path: string, sizes: SeedSizes, now = Date.now()): number {
  const started = performance.now()
  const db = openDatabase(path)
  migrate(db)
  // One big transaction: a page cache that holds it saves spilling half-built indexes to the WAL.
  db.pragma('cache_size = -1000000')
  const polls = createPollStore(db)
  const comments = createCommentStore(db)

  for (const id of [IDS.livePoll, IDS.smallPoll, IDS.bigPoll]) polls.create(pollInput(`Bench poll ${id}: bạn đọc tin trên thiết bị nào?`), now - 8 * DAY, id)

  const insertVote = db.prepare(
    `INSERT INTO votes (poll_id, voter_hash, ip_hash, option_ids, status, created_at) VALUES (?, ?, ?, ?, 'counted', ?)`,
  )
  const setOption = db.prepare('UPDATE poll_options SET votes = ? WHERE id = ?')
  const setTotals = db.prepare('UPDATE polls SET total_voters = ?, total_votes = ? WHERE id = ?')
  const hash = createHashSource()
  const ips = Array.from({ length: 5000 }, hash)
  const fillVotes = db.transaction((pollId: string, n: number) => {
    const options = polls.get(pollId)!.options.map((o) => o.id)
    const json = options.map((id) => JSON.stringify([id]))
    const tally = options.map(() => 0)
    for (let i = 0; i < n; i++) {
      const pick = (i * 7 + (i >> 3)) % options.length
      tally[pick]!++
      insertVote.run(pollId, hash(), ips[i % ips.length]!, json[pick]!, now - 7 * DAY + Math.floor((i / n) * 7 * DAY))
    }
    options.forEach((id, i) => setOption.run(tally[i], id))
    setTotals.run(n, n, pollId)
  })
  fillVotes(IDS.smallPoll, sizes.smallPollVotes)
  fillVotes(IDS.bigPoll, sizes.bigPollVotes)

  const fillThread = db.transaction((page: string, n: number, replyEvery: number) => {
    let lastTop = 0
    for (let i = 0; i < n; i++) {
      const isReply = replyEvery > 0 && i % replyEvery === replyEvery - 1 && lastTop > 0
      const outcome = comments.post({
        page,
        title: `Bench thread ${page}`,
        url: null,
        parentId: isReply ? lastTop : null,
        author: i % 3 === 0 ? null : `Bạn đọc ${i % 97}`,
        email: null,
        body: `${BODY} (#${i})`,
        status: 'approved',
        voterHash: hash(),
        ipHash: ips[i % ips.length]!,
        at: now - 7 * DAY + Math.floor((i / Math.max(1, n)) * 7 * DAY),
      })
      if (outcome.kind !== 'created') throw new Error(`seeding ${page}: ${outcome.kind}`)
      if (!isReply) lastTop = outcome.comment.id
    }
  })
  // A quarter of the list thread are replies, so the page also nests them.
  fillThread(IDS.listThread, sizes.listThreadComments, 4)
  fillThread(IDS.smallThread, sizes.smallThreadComments, 0)
  fillThread(IDS.bigThread, sizes.bigThreadComments, 0)
  // Three in four count keys have a thread; the rest are pages nobody has commented on yet.
  for (let i = 0; i < sizes.countKeys; i++) if (i % 4 !== 3) fillThread(IDS.countKey(i), 1 + (i % 5), 0)

  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return performance.now() - started
}
