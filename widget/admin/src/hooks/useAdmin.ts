import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { AdminConfig } from '../../../../server/types.ts'
import type { Lang } from '../i18n/i18n.ts'
import type { AdminApi } from '../lib/api.ts'

/** What every signed-in screen needs: the API client, the server's settings and the language. */
export interface Admin {
  api: AdminApi
  config: AdminConfig
  lang: Lang
}

export const AdminContext = createContext<Admin | null>(null)

/** The signed-in console's API client, settings and language. */
export function useAdmin(): Admin {
  const admin = useContext(AdminContext)
  if (!admin) throw new Error('voxpop admin: useAdmin() outside a signed-in console')
  return admin
}
