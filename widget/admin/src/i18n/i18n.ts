import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { en } from './en.ts'
import { vi, type Dict } from './vi.ts'

export type Lang = 'vi' | 'en'

const KEY = 'voxpop:admin-lang'

/** The dictionary for a language. */
export function dict(lang: Lang): Dict {
  return lang === 'en' ? en : vi
}

/** The language chosen on this device before, else Vietnamese. */
export function savedLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'vi'
  } catch {
    return 'vi'
  }
}

/** Remembers the chosen language on this device. */
export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang)
  } catch {
    // Blocked storage: the choice lasts until reload.
  }
}

/** The translated message for an API failure code, with the server's detail where it helps. */
export function errorText(t: Dict, code: string, detail?: string): string {
  if (code === 'invalid_poll') return `${t.errors.invalid_poll} ${detail ?? ''}`.trim()
  return t.errors[code] ?? t.errors.other!
}

export const I18nContext = createContext<Dict>(vi)

/** The current dictionary. */
export function useT(): Dict {
  return useContext(I18nContext)
}
