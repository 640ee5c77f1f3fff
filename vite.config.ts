import { existsSync, readFileSync } from 'node:fs'
import type { UserConfig } from 'vite'
import { defineConfig } from 'vitest/config'
import { slimPreact } from './widget/build/slim-preact.ts'

/**
 * Three builds share this file (`npm run build` runs them in order):
 * - default: the widget module and its lazy chunks, content-hashed, into dist/widget/assets;
 * - `--mode loader`: dist/widget/embed.js, the tiny classic script sites embed, which imports the
 *   hashed module named in the first build's manifest;
 * - `--mode admin`: the admin console into dist/admin.
 */
const WIDGET_OUT = 'dist/widget'
const MAIN_ENTRY = 'widget/src/main.ts'

const shared: UserConfig = {
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', reportCompressedSize: false },
  logLevel: 'warn',
}

/** Hashed file names of the widget module and of each language chunk, from the first build. */
function chunks(): { main: string; dicts: Record<string, string> } {
  const path = `${WIDGET_OUT}/.vite/manifest.json`
  if (!existsSync(path)) throw new Error('Build the widget module first: vite build (default mode)')
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { file: string }>
  const dict = (lang: string) => manifest[`widget/src/i18n/${lang}.ts`]!.file
  return { main: manifest[MAIN_ENTRY]!.file, dicts: { vi: dict('vi'), en: dict('en') } }
}

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'loader') {
    return {
      ...shared,
      define: { __VOXPOP_MAIN__: JSON.stringify(chunks().main), __VOXPOP_DICTS__: JSON.stringify(chunks().dicts) },
      build: {
        ...shared.build,
        outDir: WIDGET_OUT,
        emptyOutDir: false,
        copyPublicDir: false,
        lib: { entry: 'widget/src/embed.ts', formats: ['iife'], name: 'voxpopEmbed', fileName: () => 'embed.js' },
      },
    }
  }
  if (mode === 'admin') {
    return {
      ...shared,
      root: 'widget/admin',
      base: '/admin/',
      build: { ...shared.build, outDir: '../../dist/admin', emptyOutDir: true },
    }
  }
  return {
    ...shared,
    // Preact without the features the widget never uses (see widget/build/slim-preact.ts).
    plugins: [slimPreact()],
    build: {
      ...shared.build,
      outDir: WIDGET_OUT,
      emptyOutDir: true,
      manifest: true,
      copyPublicDir: false,
      // Library mode: ES chunks without Vite's modulepreload helper (3 KB the widget does not need).
      lib: { entry: { main: MAIN_ENTRY }, formats: ['es'] },
      rolldownOptions: {
        // Preact and the shared helpers stay in the main module (the lazy Comments chunk imports
        // them from it) instead of a third file: one request and ~330 B gzip less per page.
        preserveEntrySignatures: 'allow-extension',
        // comments: false drops the /* @__PURE__ */ marks the minifier would otherwise keep (~110 B gzip).
        output: { entryFileNames: 'assets/[name]-[hash].js', chunkFileNames: 'assets/[name]-[hash].js', minify: true, comments: false },
      },
    },
    test: {
      projects: [
        { extends: true, test: { name: 'server', environment: 'node', include: ['tests/server/**/*.test.ts'] } },
        { extends: true, test: { name: 'widget', environment: 'happy-dom', include: ['tests/widget/**/*.test.{ts,tsx}'] } },
        {
          extends: true,
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['tests/e2e/**/*.test.ts'],
            globalSetup: ['tests/e2e/global-setup.ts'],
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  }
})
