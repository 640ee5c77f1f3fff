import { useT } from '../i18n/i18n.ts'
import { MAX_OPTIONS, newKey, type OptionDraft } from '../lib/poll-draft.ts'

interface Props {
  options: OptionDraft[]
  onChange: (options: OptionDraft[]) => void
}

/** The option rows: edit, add, remove (not when an option has votes) and reorder with buttons. */
export function OptionsEditor({ options, onChange }: Props) {
  const t = useT()
  const update = (index: number, label: string) => onChange(options.map((o, i) => (i === index ? { ...o, label } : o)))
  const move = (index: number, by: -1 | 1) => {
    const next = options.slice()
    const [item] = next.splice(index, 1)
    next.splice(index + by, 0, item!)
    onChange(next)
  }
  const remove = (index: number) => onChange(options.filter((_, i) => i !== index))
  const add = () => onChange([...options, { key: newKey(), label: '', votes: 0 }])

  return (
    <fieldset class="options-editor">
      <legend>{t.form.options}</legend>
      <ol>
        {options.map((option, i) => (
          <li key={option.key} class="option-row">
            <label class="sr-only" for={`option-${option.key}`}>
              {t.form.optionLabel(i + 1)}
            </label>
            <input
              id={`option-${option.key}`}
              type="text"
              name="option"
              maxLength={200}
              placeholder={t.form.optionLabel(i + 1)}
              value={option.label}
              onInput={(e) => update(i, e.currentTarget.value)}
            />
            <div class="option-tools">
              <button type="button" class="icon-btn" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`${t.form.moveUp}: ${t.form.optionLabel(i + 1)}`} title={t.form.moveUp}>
                ↑
              </button>
              <button
                type="button"
                class="icon-btn"
                onClick={() => move(i, 1)}
                disabled={i === options.length - 1}
                aria-label={`${t.form.moveDown}: ${t.form.optionLabel(i + 1)}`}
                title={t.form.moveDown}
              >
                ↓
              </button>
              <button
                type="button"
                class="icon-btn danger"
                onClick={() => remove(i)}
                disabled={options.length <= 2 || option.votes > 0}
                aria-label={`${t.form.remove}: ${t.form.optionLabel(i + 1)}`}
                title={option.votes > 0 ? t.form.hasVotes(option.votes) : t.form.remove}
              >
                ✕
              </button>
            </div>
            {option.votes > 0 && <span class="muted small option-note">{t.form.hasVotes(option.votes)}</span>}
          </li>
        ))}
      </ol>
      <button type="button" class="btn" onClick={add} disabled={options.length >= MAX_OPTIONS}>
        + {t.form.addOption}
      </button>
    </fieldset>
  )
}
