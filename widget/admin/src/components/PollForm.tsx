import { useState } from 'preact/hooks'
import type { AdminPollView, Dedupe, ResultsVisibility } from '../../../../server/types.ts'
import { useAdmin } from '../hooks/useAdmin.ts'
import { href, navigate } from '../hooks/useHashRoute.ts'
import { errorText, useT } from '../i18n/i18n.ts'
import { ApiFailure } from '../lib/api.ts'
import { draftBody, type PollDraft } from '../lib/poll-draft.ts'
import { OptionsEditor } from './OptionsEditor.tsx'

/** Creates a poll (no `id`) or edits one; times are typed on the wall clock of VOXPOP_TIMEZONE. */
export function PollForm({ id, initial }: { id?: string; initial: PollDraft }) {
  const t = useT()
  const { api, config } = useAdmin()
  const [draft, setDraft] = useState(initial)
  const [problems, setProblems] = useState<string[]>([])
  const [saving, setSaving] = useState(false)
  const set = <K extends keyof PollDraft>(key: K, value: PollDraft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const zone = config.timezone

  async function submit(event: Event) {
    event.preventDefault()
    const { body, problems: found } = draftBody(draft, zone, t, id !== undefined)
    setProblems(found)
    if (!body) return
    setSaving(true)
    try {
      const poll = id
        ? await api.request<AdminPollView>('PATCH', `/api/admin/polls/${encodeURIComponent(id)}`, body)
        : await api.request<AdminPollView>('POST', '/api/admin/polls', body)
      navigate({ name: 'poll', id: poll.id })
    } catch (e) {
      setProblems([e instanceof ApiFailure ? errorText(t, e.code, e.message) : errorText(t, 'other')])
      setSaving(false)
    }
  }

  return (
    <section aria-labelledby="poll-form-title">
      <h1 id="poll-form-title">{id ? t.form.editTitle : t.form.createTitle}</h1>
      <form class="poll-form" onSubmit={submit} noValidate>
        <label class="field">
          <span>{t.form.question}</span>
          <textarea name="question" rows={2} maxLength={500} required value={draft.question} onInput={(e) => set('question', e.currentTarget.value)} />
        </label>
        <OptionsEditor options={draft.options} onChange={(options) => set('options', options)} />
        <div class="row">
          <label class="check">
            <input type="checkbox" name="multiple" checked={draft.multiple} onChange={(e) => set('multiple', e.currentTarget.checked)} />
            <span>{t.form.multiple}</span>
          </label>
          {draft.multiple && (
            <label class="field narrow">
              <span>{t.form.maxChoices}</span>
              <input
                type="number"
                name="maxChoices"
                min={1}
                max={draft.options.length}
                value={draft.maxChoices}
                onInput={(e) => set('maxChoices', e.currentTarget.value)}
              />
            </label>
          )}
        </div>
        <div class="row">
          <label class="field">
            <span>{t.form.opensAt}</span>
            <input type="datetime-local" name="opensAt" value={draft.opensAt} onInput={(e) => set('opensAt', e.currentTarget.value)} />
            <small class="muted">
              {t.form.zoneHint(zone)} {t.form.opensEmpty}
            </small>
          </label>
          <label class="field">
            <span>{t.form.closesAt}</span>
            <input type="datetime-local" name="closesAt" value={draft.closesAt} onInput={(e) => set('closesAt', e.currentTarget.value)} />
            <small class="muted">
              {t.form.zoneHint(zone)} {t.form.closesEmpty}
            </small>
          </label>
        </div>
        <label class="field">
          <span>{t.form.visibility}</span>
          <select name="resultsVisibility" value={draft.resultsVisibility} onChange={(e) => set('resultsVisibility', e.currentTarget.value as ResultsVisibility)}>
            {(['after_vote', 'always', 'after_close'] as const).map((v) => (
              <option key={v} value={v}>
                {t.form.visibilityName[v]}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="group">
          <legend>{t.form.abuse}</legend>
          <label class="field">
            <span>{t.form.dedupe}</span>
            <select name="dedupe" value={draft.dedupe} onChange={(e) => set('dedupe', e.currentTarget.value as Dedupe)}>
              {(['voter+ip', 'voter'] as const).map((v) => (
                <option key={v} value={v}>
                  {t.form.dedupeName[v]}
                </option>
              ))}
            </select>
          </label>
          <div class="row">
            <label class="field narrow">
              <span>{t.form.maxVotesPerIp}</span>
              <input type="number" name="maxVotesPerIp" min={1} value={draft.maxVotesPerIp} onInput={(e) => set('maxVotesPerIp', e.currentTarget.value)} />
            </label>
            <label class="field narrow">
              <span>{t.form.ipWindowSeconds}</span>
              <input type="number" name="ipWindowSeconds" min={1} value={draft.ipWindowSeconds} onInput={(e) => set('ipWindowSeconds', e.currentTarget.value)} />
            </label>
          </div>
          <small class="muted">{t.form.ipHint}</small>
        </fieldset>
        {problems.length > 0 && (
          <ul class="error problems" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div class="actions">
          <button type="submit" class="btn primary" disabled={saving}>
            {saving ? t.form.saving : id ? t.form.save : t.form.createSubmit}
          </button>
          <a class="btn ghost" href={id ? href({ name: 'poll', id }) : href({ name: 'polls' })}>
            {t.form.cancel}
          </a>
        </div>
      </form>
    </section>
  )
}
