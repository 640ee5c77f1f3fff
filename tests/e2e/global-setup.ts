import { existsSync } from 'node:fs'
import { findChromium } from './chromium.ts'

/** Runs once before the browser tests: Chromium must exist and the widget must be built. */
export default function setup() {
  findChromium()
  if (!existsSync('dist/widget/embed.js')) {
    throw new Error('dist/widget/embed.js is missing: run `npm run build` (npm test does) before the browser tests')
  }
}
