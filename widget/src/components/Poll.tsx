// Classic JSX: h() calls ship fewer bytes than the automatic runtime (no preact/jsx-runtime).
/** @jsxRuntime classic */
/** @jsx h */
import { Component, h } from 'preact'
import type { PollView } from '../../../server/types.ts'
import { ApiFailure, request, toFailure, type Failure } from '../api.ts'
import type { WidgetConfig } from '../config.ts'
import { withVote } from '../hooks/usePoll.ts'
import { dict, errorText, formatDate } from '../i18n/translate.ts'
import { Results } from './Results.tsx'

interface Props {
  id: string
  config: WidgetConfig
}

interface State {
  poll?: PollView
  error?: Failure | null
  sending?: boolean
  chosen: string[]
}

let instances = 0

/**
 * One opinion poll: a real form until the reader votes, then the results the server allows. The
 * vote shows at once (optimistic) and rolls back when the server refuses it. A class component, so
 * the widget ships without preact/hooks.
 */
export class Poll extends Component<Props, State> {
  override state: State = { chosen: [] }
  name = `vx${++instances}`

  override componentDidMount() {
    this.load()
  }

  path() {
    return `/api/polls/${encodeURIComponent(this.props.id)}`
  }

  load = () => {
    this.setState({ error: null })
    request<PollView>(this.props.config.api, this.path()).then(
      (poll) => this.setState({ poll }),
      (e) => this.setState({ error: toFailure(e) }),
    )
  }

  form: HTMLFormElement | null = null

  override componentDidUpdate(_: Props, prev: State) {
    // The vote button is gone once the vote is in: keep keyboard focus in the poll, not on <body>.
    const root = this.form?.getRootNode() as ShadowRoot | undefined
    if (prev.sending && !this.state.sending && root && !root.activeElement) this.form!.focus()
  }

  async vote(chosen: string[]) {
    const before = this.state.poll
    if (!before || this.state.sending) return
    this.setState({ sending: true, error: null, poll: withVote(before, chosen) })
    try {
      this.setState({ poll: await request<PollView>(this.props.config.api, this.path() + '/votes', 'POST', { options: chosen }) })
    } catch (e) {
      // On already_voted the server sends the poll as this reader should see it.
      const body = e instanceof ApiFailure ? (e.body?.poll as PollView | undefined) : undefined
      this.setState({ poll: body ?? before, error: toFailure(e) })
    } finally {
      this.setState({ sending: false })
    }
  }

  override render({ config }: Props, { poll, error, sending, chosen }: State) {
    const t = dict(config.lang)
    if (!poll) {
      return (
        <div class="box" aria-busy={!error}>
          <p class={error ? 'msg err' : 'msg'} role={error ? 'alert' : 'status'}>
            {error ? errorText(t, error) : t.loading}
          </p>
          {error && error.code !== 'poll_not_found' && (
            <button type="button" class="btn" onClick={this.load}>
              {t.retry}
            </button>
          )}
        </div>
      )
    }

    const open = poll.status === 'open'
    const voted = poll.myVote !== null
    const canVote = open && !voted
    // While a vote is in flight the reader already sees it counted (optimistic), button disabled.
    const showResults = !!poll.results && (voted || !open)
    const toggle = (optionId: string, on: boolean) =>
      this.setState({ chosen: poll.multiple ? (on ? [...chosen, optionId] : chosen.filter((x) => x !== optionId)) : [optionId] })
    const valid = chosen.length > 0 && chosen.length <= poll.maxChoices
    let note = ''
    if (poll.status === 'closed') note = t.closed
    else if (poll.status === 'upcoming' && poll.opensAt) note = t.upcoming(formatDate(config.lang, poll.opensAt))
    else if (voted && !sending) note = t.thanks
    // Screen readers hear the outcome, not only the thanks: the bars themselves are silent.
    const summary = showResults && !sending ? poll.options.map((o, i) => `${o.label}: ${poll.results!.options[i]?.percent ?? 0}%`).join(', ') : ''
    let hidden = ''
    if (!poll.results && !sending && (voted || poll.status !== 'open')) {
      hidden = poll.resultsVisibility === 'after_close' ? t.hiddenUntilClose : t.hiddenUntilVote
    }

    return (
      <form
        class="box"
        tabIndex={-1}
        ref={(f) => {
          this.form = f
        }}
        onSubmit={(e) => {
          e.preventDefault()
          if (canVote && valid) void this.vote(chosen)
        }}
      >
        <fieldset disabled={!canVote}>
          <legend>{poll.question}</legend>
          {canVote && <p class="hint">{poll.multiple ? t.chooseUpTo(poll.maxChoices) : t.chooseOne}</p>}
          {!showResults ? (
            <div class="options">
              {poll.options.map((o) => {
                const checked = (voted ? poll.myVote! : chosen).includes(o.id)
                return (
                  <label key={o.id} class="opt">
                    <input
                      type={poll.multiple ? 'checkbox' : 'radio'}
                      name={this.name}
                      value={o.id}
                      checked={checked}
                      disabled={!checked && poll.multiple && chosen.length >= poll.maxChoices}
                      onChange={(e) => toggle(o.id, (e.currentTarget as HTMLInputElement).checked)}
                    />
                    <span>{o.label}</span>
                  </label>
                )
              })}
            </div>
          ) : (
            <Results poll={poll} t={t} />
          )}
          {(canVote || sending) && (
            <button type="submit" class="btn" disabled={!valid || sending}>
              {sending ? t.sending : t.vote}
            </button>
          )}
        </fieldset>
        {poll.closesAt && open && <p class="hint">{t.closesAt(formatDate(config.lang, poll.closesAt))}</p>}
        <p aria-live="polite" class="sr">
          {summary}
        </p>
        <div role="status" aria-live="polite" class="live">
          {error ? '' : [note, hidden].filter(Boolean).join(' ')}
        </div>
        {error && (
          <p class="msg err" role="alert">
            {errorText(t, error)}
          </p>
        )}
      </form>
    )
  }
}
