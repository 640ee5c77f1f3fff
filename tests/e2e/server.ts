import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real voxpop server process listening on a free port. */
export interface RunningServer {
  url: string
  dbPath: string
  process: ChildProcess
  output: () => string
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

/** Starts `server/main.ts` as its own process (PORT=0 picks a free port); resolves once it listens. */
export function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dbPath = env.VOXPOP_DB ?? join(mkdtempSync(join(tmpdir(), 'voxpop-')), 'test.sqlite')
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', VOXPOP_ADMIN_PASSWORD: 'test-password-123', ...env, VOXPOP_DB: dbPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const m = /listening on (http:\/\/[^\s]+)/.exec(log)
      if (m) {
        clearTimeout(timer)
        resolve({
          url: m[1]!.replace('localhost', '127.0.0.1'),
          dbPath,
          process: child,
          output: () => log,
          stop: (signal = 'SIGTERM') =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode)
              child.once('exit', (code) => done(code))
              child.kill(signal)
            }),
        })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${log}`))
    })
  })
}
