import { useT } from '../i18n/i18n.ts'

/** The moderation keyboard shortcuts, always on screen. */
export function ShortcutHelp() {
  const t = useT()
  const keys: [string[], string][] = [
    [['J', 'K'], t.moderation.keys.move],
    [['A'], t.moderation.keys.approve],
    [['R'], t.moderation.keys.reject],
    [['X'], t.moderation.keys.select],
  ]
  return (
    <aside class="shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t.moderation.shortcuts}</h2>
      <dl>
        {keys.map(([combo, what]) => (
          <div key={what}>
            <dt>
              {combo.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' / '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">{t.moderation.keys.note}</p>
    </aside>
  )
}
