/** Child processes for the bench: the real server and the ceiling, each in its own process. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** USER_HZ: Linux reports /proc times in these ticks, 100 a second on every common build. */
const CLOCK_TICKS = 100

/** A spawned HTTP server and how long it took to answer its first request. */
export interface Spawned {
  url: string
  pid: number
  /** Milliseconds from spawn to the first 200 from `readyPath`. */
  startupMs: number
  output: () => string
  stop: () => Promise<void>
}

export interface SpawnOptions {
  /** Arguments after `node`, e.g. `['--import', 'tsx', 'server/main.ts']`. */
  args: string[]
  env?: Record<string, string>
  /** Path that must answer 200 before the server counts as started. */
  readyPath: string
  timeoutMs?: number
}

async function firstOk(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`no 200 from ${url} in time`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/**
 * Spawns `node ARGS` with PORT=0, reads the port from its "listening on" line, then asks
 * `readyPath` until it answers 200; start-up time runs from spawn to that first 200.
 */
export function spawnServer(options: SpawnOptions): Promise<Spawned> {
  const started = performance.now()
  const timeoutMs = options.timeoutMs ?? 30_000
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return new Promise((resolve, reject) => {
    let found = false
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`${options.args.join(' ')} did not start in ${timeoutMs} ms:\n${log}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const m = /listening on (http:\/\/[^\s]+)/.exec(log)
      if (!m || found) return
      found = true
      const url = m[1]!.replace('localhost', '127.0.0.1').replace(/\/$/, '')
      firstOk(url + options.readyPath, started + timeoutMs).then(
        () => {
          clearTimeout(timer)
          resolve({ url, pid: child.pid!, startupMs: performance.now() - started, output: () => log, stop })
        },
        (error: unknown) => {
          clearTimeout(timer)
          void stop()
          reject(error)
        },
      )
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code, signal) => {
      if (found) return
      clearTimeout(timer)
      reject(new Error(`${options.args.join(' ')} exited (${code ?? signal}) before listening:\n${log}`))
    })
  })
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) : 0
}

/**
 * Watches a process's resident memory while `work` runs and returns the peak in MB: the kernel's
 * high-water mark (reset first through clear_refs where allowed) or, failing that, samples of VmRSS.
 */
export async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number; beforeMb: number }> {
  let reset = false
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    reset = true
  } catch {
    // not permitted here: sampling alone has to do
  }
  const beforeMb = statusKb(pid, 'VmRSS') / 1024
  let peak = statusKb(pid, 'VmRSS')
  const timer = setInterval(() => {
    peak = Math.max(peak, statusKb(pid, 'VmRSS'))
  }, 5)
  try {
    const result = await work()
    peak = Math.max(peak, statusKb(pid, 'VmRSS'))
    if (reset) peak = Math.max(peak, statusKb(pid, 'VmHWM'))
    return { result, peakMb: peak / 1024, beforeMb }
  } finally {
    clearInterval(timer)
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc/PID/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
}
