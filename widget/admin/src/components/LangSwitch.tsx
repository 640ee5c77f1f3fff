import { useT, type Lang } from '../i18n/i18n.ts'

const LANGS: { lang: Lang; name: string }[] = [
  { lang: 'vi', name: 'Tiếng Việt' },
  { lang: 'en', name: 'English' },
]

/** Switches the console between Vietnamese and English. */
export function LangSwitch({ onLang }: { onLang: (lang: Lang) => void }) {
  const t = useT()
  return (
    <div class="lang" role="group" aria-label={t.language}>
      {LANGS.map(({ lang, name }) => (
        <button type="button" key={lang} lang={lang} class="lang-btn" aria-pressed={t.lang === lang} onClick={() => onLang(lang)}>
          {name}
        </button>
      ))}
    </div>
  )
}
