import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/open.ts'
import { createPollStore } from '../../server/db/polls.ts'
import { seedDatabase } from './seed.ts'
const path = join(mkdtempSync(join(tmpdir(), 'vp-q-')), 'p.sqlite')
seedDatabase(path, { smallPollVotes: 10, bigPollVotes: 10, smallThreadComments: 1, bigThreadComments: 1, listThreadComments: 1, countKeys: 1 })
const db = openDatabase(path)
const store = createPollStore(db)
const one = db.prepare<[string], any>(`SELECT p.*, (SELECT json_group_array(json_array(o.id, o.label, o.votes)) FROM (SELECT id, label, votes FROM poll_options WHERE poll_id = p.id ORDER BY position) o) AS options_json FROM polls p WHERE p.id = ?`)
const pollQ = db.prepare<[string], any>('SELECT * FROM polls WHERE id = ?')
const N = 20000
for (let r = 0; r < 3; r++) {
  let t = process.cpuUsage(); for (let i = 0; i < N; i++) store.get('bench-live'); let c = process.cpuUsage(t); console.log('store.get (2 queries)', ((c.user + c.system) / N).toFixed(1))
  t = process.cpuUsage(); for (let i = 0; i < N; i++) { const row = one.get('bench-live'); row.options = (JSON.parse(row.options_json) as [string, string, number][]).map(([id, label, votes]) => ({ id, label, votes })) } c = process.cpuUsage(t); console.log('1 query + json', ((c.user + c.system) / N).toFixed(1))
  t = process.cpuUsage(); for (let i = 0; i < N; i++) pollQ.get('bench-live'); c = process.cpuUsage(t); console.log('poll row only', ((c.user + c.system) / N).toFixed(1))
}
