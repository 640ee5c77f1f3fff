/**
 * The server half of `npm run build`, run after the Vite builds:
 * - bundles `server/main.ts` with its dependencies into `dist/server.mjs`, so a start needs no
 *   TypeScript loader and reads one file instead of a few hundred;
 * - writes `.gz` and `.br` beside every compressible file in dist/widget and dist/admin, so the
 *   server does not spend its start-up compressing them at the highest levels.
 */
import { build } from 'esbuild'
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compressible, compressStatic } from './lib/assets.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Where the bundle goes: one level below the root, like server/main.ts, so its paths hold. */
export const SERVER_BUNDLE = join(root, 'dist/server.mjs')

/** Writes `path` whole or not at all: a server starting meanwhile must never read half a file. */
function replaceFile(path: string, write: (temporary: string) => void): void {
  const temporary = join(path, '..', `.${path.split('/').pop()}.tmp`)
  write(temporary)
  renameSync(temporary, path)
}

/**
 * Bundles the server into dist/server.mjs with its dependencies (hono, zod, csv-stringify,
 * rate-limiter-flexible), whitespace and syntax minified, names kept for readable stack traces:
 * one file to read and compile instead of a few hundred, ~140 ms off every start here. Only
 * better-sqlite3 (a native addon) is loaded from node_modules at run time.
 */
export async function buildServer(): Promise<void> {
  const temporary = join(root, 'dist/.server.mjs.tmp')
  await build({
    entryPoints: [join(root, 'server/main.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    minifyWhitespace: true,
    minifySyntax: true,
    // The CommonJS dependencies require Node's own modules: give the ES module a require().
    banner: { js: "import { createRequire as __voxpopRequire } from 'node:module'; const require = __voxpopRequire(import.meta.url);" },
    logLevel: 'warning',
  })
  renameSync(temporary, SERVER_BUNDLE)
}

function compressDir(dir: string): number {
  if (!existsSync(dir)) return 0
  let count = 0
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (name.startsWith('.') || /\.(gz|br)$/.test(name)) continue
    if (statSync(full).isDirectory()) {
      count += compressDir(full)
      continue
    }
    const body = readFileSync(full)
    if (!compressible(name, body.length)) continue
    const { gzip, br } = compressStatic(body)
    replaceFile(`${full}.gz`, (tmp) => writeFileSync(tmp, gzip))
    replaceFile(`${full}.br`, (tmp) => writeFileSync(tmp, br))
    count++
  }
  return count
}

/** Writes the precompressed copies of the built front-end files; returns how many files. */
export function precompressAssets(): number {
  return compressDir(join(root, 'dist/widget')) + compressDir(join(root, 'dist/admin'))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now()
  await buildServer()
  const files = precompressAssets()
  console.log(`voxpop: dist/server.mjs bundled, ${files} front-end files precompressed (${Math.round(performance.now() - started)} ms)`)
}
