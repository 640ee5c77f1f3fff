import { href, useHashRoute, type Route } from '../hooks/useHashRoute.ts'
import { useT, type Lang } from '../i18n/i18n.ts'
import { Dashboard } from './Dashboard.tsx'
import { LangSwitch } from './LangSwitch.tsx'
import { Moderation } from './Moderation.tsx'
import { PollDetail } from './PollDetail.tsx'
import { PollEditor } from './PollEditor.tsx'
import { PollList } from './PollList.tsx'

const SECTIONS = ['dashboard', 'polls', 'moderation'] as const

function section(route: Route): (typeof SECTIONS)[number] {
  if (route.name === 'dashboard' || route.name === 'moderation') return route.name
  return 'polls'
}

/** The signed-in frame: navigation, language, sign-out, and the current screen. */
export function Shell({ onSignOut, onLang }: { onSignOut: () => void; onLang: (lang: Lang) => void }) {
  const t = useT()
  const route = useHashRoute()
  const active = section(route)

  let screen
  switch (route.name) {
    case 'dashboard':
      screen = <Dashboard />
      break
    case 'polls':
      screen = <PollList />
      break
    case 'poll-new':
      screen = <PollEditor key="new" />
      break
    case 'poll-edit':
      screen = <PollEditor key={route.id} id={route.id} />
      break
    case 'poll':
      screen = <PollDetail key={route.id} id={route.id} />
      break
    case 'moderation':
      screen = <Moderation />
  }

  return (
    <div class="shell">
      {/* Not a #main link: the hash is the console's router. */}
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        {t.skipToContent}
      </button>
      <header class="topbar">
        <a class="brand" href="#/">
          voxpop
        </a>
        <nav aria-label={t.nav.label} class="nav">
          {SECTIONS.map((name) => (
            <a key={name} href={href({ name } as Route)} aria-current={active === name ? 'page' : undefined}>
              {t.nav[name]}
            </a>
          ))}
        </nav>
        <div class="topbar-end">
          <LangSwitch onLang={onLang} />
          <button type="button" class="btn ghost" onClick={onSignOut}>
            {t.nav.signOut}
          </button>
        </div>
      </header>
      <main id="main" class="content" tabIndex={-1}>
        {screen}
      </main>
    </div>
  )
}
