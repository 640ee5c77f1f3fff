/**
 * `npm start`: builds the front-end bundles when they are missing or older than their sources,
 * then starts the server. Production deployments may run `npm run build` once and `server/main.ts`.
 */
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

function newest(path: string): number {
  const full = join(root, path)
  if (!existsSync(full)) return 0
  const st = statSync(full)
  if (!st.isDirectory()) return st.mtimeMs
  return Math.max(0, ...readdirSync(full).map((name) => newest(join(path, name))))
}

const built = existsSync(join(root, 'dist/widget/embed.js')) ? statSync(join(root, 'dist/widget/embed.js')).mtimeMs : 0
const sources = Math.max(newest('widget'), newest('vite.config.ts'), newest('package-lock.json'))
if (built === 0 || sources > built) {
  console.log('voxpop: building the front-end bundles…')
  execSync('npm run build', { cwd: root, stdio: 'inherit' })
}

await import('./main.ts')
