import { useEffect, useState } from 'preact/hooks'

/** The console's screens, addressed by the URL hash so reloads and the back button work. */
export type Route =
  | { name: 'dashboard' }
  | { name: 'polls' }
  | { name: 'poll-new' }
  | { name: 'poll'; id: string }
  | { name: 'poll-edit'; id: string }
  | { name: 'moderation' }

/** The screen a hash names (`#/polls/abc/edit` → poll-edit abc); unknown hashes show the dashboard. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '')
  if (path === '/polls') return { name: 'polls' }
  if (path === '/polls/new') return { name: 'poll-new' }
  if (path === '/moderation') return { name: 'moderation' }
  const edit = /^\/polls\/([\w-]+)\/edit$/.exec(path)
  if (edit) return { name: 'poll-edit', id: edit[1]! }
  const poll = /^\/polls\/([\w-]+)$/.exec(path)
  if (poll) return { name: 'poll', id: poll[1]! }
  return { name: 'dashboard' }
}

/** The hash of a screen. */
export function href(route: Route): string {
  switch (route.name) {
    case 'dashboard':
      return '#/'
    case 'polls':
      return '#/polls'
    case 'poll-new':
      return '#/polls/new'
    case 'poll':
      return `#/polls/${route.id}`
    case 'poll-edit':
      return `#/polls/${route.id}/edit`
    case 'moderation':
      return '#/moderation'
  }
}

/** Goes to a screen. */
export function navigate(route: Route): void {
  location.hash = href(route)
}

/** The current screen, following hash changes. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash))
    addEventListener('hashchange', onChange)
    return () => removeEventListener('hashchange', onChange)
  }, [])
  return route
}
