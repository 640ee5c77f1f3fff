/**
 * `npm start`: builds the front-end bundles when they are missing or older than their sources,
 * and the server bundle when server/ is newer, then starts the server from dist/server.mjs.
 * Production deployments may run `npm run build` once and then `node dist/server.mjs`.
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

/** When `path` was built, or 0 when it is missing. */
const builtAt = (path: string) => (existsSync(join(root, path)) ? statSync(join(root, path)).mtimeMs : 0)

// Every bundle must exist and be newer than the sources: the widget's loader and the admin console.
const built = Math.min(builtAt('dist/widget/embed.js'), builtAt('dist/admin/index.html'))
const sources = Math.max(newest('widget'), newest('vite.config.ts'), newest('package-lock.json'))
if (built === 0 || sources > built) {
  console.log('voxpop: building the front-end bundles…')
  execSync('npm run build', { cwd: root, stdio: 'inherit' })
}

// The server runs from its bundle (no TypeScript loader, one file to read): rebuilt when server/ changed.
if (builtAt('dist/server.mjs') < Math.max(newest('server'), newest('package-lock.json'))) {
  execSync('node --import tsx server/build.ts', { cwd: root, stdio: 'inherit' })
}
await import(new URL('../dist/server.mjs', import.meta.url).href)
