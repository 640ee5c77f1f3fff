import type { PollStore } from './polls.ts'

/** Id of the poll the demo page embeds. */
export const DEMO_POLL_ID = 'demo'

/** Creates the demo poll when the database has no poll at all; returns whether it did. */
export function seedDemoPoll(polls: PollStore, now: number): boolean {
  if (polls.count() > 0) return false
  polls.create(
    {
      question: 'Bạn thường đọc tin tức bằng thiết bị nào?',
      options: [{ label: 'Điện thoại' }, { label: 'Máy tính' }, { label: 'Máy tính bảng' }, { label: 'Báo in' }],
      multiple: false,
      maxChoices: 1,
      opensAt: now,
      closesAt: null,
      resultsVisibility: 'after_vote',
      maxVotesPerIp: 50,
      ipWindowSeconds: 3600,
      dedupe: 'voter+ip',
    },
    now,
    DEMO_POLL_ID,
  )
  return true
}
