import { rmSync } from 'node:fs'
import { seedDatabase } from './seed.ts'
for (const [name, sizes] of [['votes', { smallPollVotes: 0, bigPollVotes: 200_000, smallThreadComments: 0, bigThreadComments: 0, listThreadComments: 0, countKeys: 0 }], ['comments', { smallPollVotes: 0, bigPollVotes: 0, smallThreadComments: 0, bigThreadComments: 20_000, listThreadComments: 0, countKeys: 0 }]] as const) {
  rmSync('/tmp/s3.sqlite', { force: true }); rmSync('/tmp/s3.sqlite-wal', { force: true })
  console.log(name, seedDatabase('/tmp/s3.sqlite', sizes))
}
