import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { AdminConfig } from '../../../../server/types.ts'
import { AdminContext } from '../hooks/useAdmin.ts'
import { dict, errorText, I18nContext, savedLang, saveLang, type Lang } from '../i18n/i18n.ts'
import { ApiFailure, closeSession, createAdminApi, openSession } from '../lib/api.ts'
import { clearSession, loadSession, saveSession, type Session } from '../lib/session.ts'
import { AdminDisabled } from './AdminDisabled.tsx'
import { Shell } from './Shell.tsx'
import { SignIn } from './SignIn.tsx'

type Phase =
  | { name: 'checking' }
  | { name: 'disabled' }
  | { name: 'failed'; code: string }
  | { name: 'signin'; notice?: 'expired' | 'signedOut' }
  | { name: 'ready'; config: AdminConfig }

/** The console: checks the session, then shows sign-in, the "disabled" page, or the signed-in shell. */
export function App() {
  const [lang, setLangState] = useState<Lang>(savedLang)
  const [phase, setPhase] = useState<Phase>({ name: 'checking' })
  const session = useRef<Session | null>(loadSession())
  const t = dict(lang)

  const api = useMemo(
    () =>
      createAdminApi(
        () => session.current?.token ?? null,
        (code) => {
          const hadSession = session.current !== null
          session.current = null
          clearSession()
          setPhase(code === 'admin_disabled' ? { name: 'disabled' } : { name: 'signin', notice: hadSession ? 'expired' : undefined })
        },
      ),
    [],
  )

  const check = useCallback(async () => {
    setPhase({ name: 'checking' })
    try {
      setPhase({ name: 'ready', config: await api.request<AdminConfig>('GET', '/api/admin/config') })
    } catch (e) {
      // A 401 has already moved to sign-in (or the "disabled" page) through the API client.
      if (!(e instanceof ApiFailure) || e.status !== 401) setPhase({ name: 'failed', code: e instanceof ApiFailure ? e.code : 'other' })
    }
  }, [api])

  useEffect(() => {
    void check()
  }, [check])

  useEffect(() => {
    document.documentElement.lang = lang
    document.title = t.appName
  }, [lang])

  // The server ends the session after 12 hours; leave at that moment rather than on the next click.
  useEffect(() => {
    if (phase.name !== 'ready' || !session.current) return
    const left = Date.parse(session.current.expiresAt) - Date.now()
    const timer = setTimeout(() => {
      session.current = null
      clearSession()
      setPhase({ name: 'signin', notice: 'expired' })
    }, Math.max(0, Math.min(left, 2 ** 31 - 1)))
    return () => clearTimeout(timer)
  }, [phase.name])

  const setLang = (next: Lang) => {
    saveLang(next)
    setLangState(next)
  }

  async function signIn(password: string) {
    let opened: Session
    try {
      opened = await openSession(password)
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'admin_disabled') return setPhase({ name: 'disabled' })
      throw e
    }
    session.current = opened
    saveSession(opened)
    await check()
  }

  async function signOut() {
    const token = session.current?.token
    session.current = null
    clearSession()
    if (token) await closeSession(token)
    setPhase({ name: 'signin', notice: 'signedOut' })
  }

  let screen
  switch (phase.name) {
    case 'checking':
      screen = <p class="boot" role="status">{t.loading}</p>
      break
    case 'disabled':
      screen = <AdminDisabled onRetry={check} />
      break
    case 'failed':
      screen = (
        <div class="boot" role="alert">
          <p>{errorText(t, phase.code)}</p>
          <button type="button" class="btn" onClick={check}>
            {t.retry}
          </button>
        </div>
      )
      break
    case 'signin':
      screen = <SignIn notice={phase.notice} onSignIn={signIn} onLang={setLang} />
      break
    case 'ready':
      screen = (
        <AdminContext.Provider value={{ api, config: phase.config, lang }}>
          <Shell onSignOut={signOut} onLang={setLang} />
        </AdminContext.Provider>
      )
  }
  return <I18nContext.Provider value={t}>{screen}</I18nContext.Provider>
}
