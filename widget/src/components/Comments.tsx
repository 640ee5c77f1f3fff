// Classic JSX: h() calls ship fewer bytes than the automatic runtime (no preact/jsx-runtime).
/** @jsxRuntime classic */
/** @jsx h */
import { Component, h } from 'preact'
import type { CommentEditResponse, CommentLikeResponse, CommentListResponse, CommentPostResponse, CommentView } from '../../../server/types.ts'
import { request, toFailure, type Failure } from '../api.ts'
import type { WidgetConfig } from '../config.ts'
import css from '../comments.css?inline'
import { editToken, mapTree, saveToken, type NewComment } from '../thread.ts'
import { dict, errorText } from '../i18n/translate.ts'
import { CommentForm } from './CommentForm.tsx'
import { CommentItem } from './CommentItem.tsx'

/** The comments part's own CSS, adopted into the shadow root when this chunk loads. */
export const commentsCss = css

interface Props {
  config: WidgetConfig
  page: string
  title: string
}

interface State {
  sort: string
  list: CommentView[]
  /** The last page's answer: total, next cursor, form token (its comments are in `list`). */
  meta?: Omit<CommentListResponse, 'comments'>
  error?: Failure | null
  busy?: boolean
}

/**
 * A comment thread: count, "write a comment" form, sort switch, list with replies, load more.
 * Loads, paginates, posts, likes, edits and deletes; a class component, so no preact/hooks.
 */
export class Comments extends Component<Props, State> {
  override state: State = { sort: 'newest', list: [] }

  override componentDidMount() {
    void this.fetchPage(null)
  }

  async fetchPage(cursor: string | null, sort = this.state.sort) {
    const { config, page } = this.props
    this.setState({ busy: true, error: null })
    try {
      const base = `/api/comments?page=${encodeURIComponent(page)}&sort=${sort}&limit=20`
      const res = await request<CommentListResponse>(config.api, cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base)
      this.setState((s) => ({
        // A comment the reader posted since the first page is already at the top: keep that one.
        list: cursor ? [...s.list, ...res.comments.filter((c) => !s.list.some((x) => x.id === c.id))] : res.comments,
        // Keep the first form token (valid for a day; renewed after 11 h): a fresh one from "load
        // more" or a sort change would make a comment sent within 3 s of it look like a bot's.
        meta: { ...res, formToken: s.meta && Date.now() - parseInt(s.meta.formToken) < 4e7 ? s.meta.formToken : res.formToken },
      }))
    } catch (e) {
      this.setState({ error: toFailure(e) })
    } finally {
      this.setState({ busy: false })
    }
  }

  /** Updates the comment with `id` in the list (null removes it). */
  change(id: number, fn: (c: CommentView) => CommentView | null) {
    this.setState((s) => ({ list: mapTree(s.list, id, fn) }))
  }

  /** Moves the count in the heading, which counts published comments only. */
  recount(delta: number) {
    this.setState((s) => ({ meta: s.meta && { ...s.meta, total: s.meta.total + delta } }))
  }

  /** Posts a comment or reply; resolves to the server's answer, or throws an ApiFailure. */
  post = async (input: NewComment) => {
    const { config, page, title } = this.props
    const res = await request<CommentPostResponse>(config.api, '/api/comments', 'POST', {
      ...input,
      page,
      title,
      url: location.href.split('#')[0],
      formToken: this.state.meta?.formToken ?? '',
    })
    saveToken(res.comment.id, res.editToken, res.editableUntil)
    const mine: CommentView = { ...res.comment, status: res.status === 'approved' ? undefined : 'pending', replies: [] }
    // The server files a reply to a reply under the top-level comment: follow its parentId.
    if (mine.parentId) this.change(mine.parentId, (c) => ({ ...c, replies: [...c.replies, mine] }))
    else this.setState((s) => ({ list: [mine, ...s.list] }))
    if (res.status === 'approved') this.recount(1)
    return res
  }

  /** Sends a like, edit or delete for `c`; a failure shows as the thread's error message. */
  async act(c: CommentView, path: string, method: string, body?: unknown, edit?: boolean) {
    this.setState({ error: null })
    try {
      return await request<unknown>(this.props.config.api, `/api/comments/${c.id}${path}`, method, body, edit ? { 'X-Voxpop-Edit-Token': editToken(c.id) ?? '' } : undefined)
    } catch (e) {
      this.setState({ error: toFailure(e) })
    }
  }

  like = async (c: CommentView) => {
    const res = (await this.act(c, '/like', c.likedByMe ? 'DELETE' : 'PUT')) as CommentLikeResponse | undefined
    if (res) this.change(c.id, (x) => ({ ...x, ...res }))
  }

  edit = async (c: CommentView, body: string) => {
    const res = (await this.act(c, '', 'PATCH', { body }, true)) as CommentEditResponse | undefined
    if (!res) return
    this.change(c.id, (x) => ({ ...x, ...res.comment, status: res.status === 'pending' ? 'pending' : undefined, replies: x.replies }))
    // An edit can send a published comment back to the queue (pre-moderation, or too many links).
    if (!c.status && res.status === 'pending') this.recount(-1)
  }

  remove = async (c: CommentView) => {
    if ((await this.act(c, '', 'DELETE', undefined, true)) !== undefined) {
      this.change(c.id, (x) => (x.replies.length ? { ...x, body: '', status: 'deleted' } : null))
      if (!c.status) this.recount(-1)
    }
  }

  override render({ config }: Props, s: State) {
    const t = dict(config.lang)
    const item = { t, lang: config.lang, onReply: this.post, onLike: this.like, onEdit: this.edit, onRemove: this.remove }
    return (
      <section class="box" aria-busy={!!s.busy}>
        <h2 class="count">{s.meta ? t.count(s.meta.total) : t.loadingComments}</h2>
        <CommentForm t={t} label={t.write} withName onSubmit={this.post} />
        <div class="sortbar">
          <label>
            {t.sort}{' '}
            <select
              value={s.sort}
              onChange={(e) => {
                const sort = e.currentTarget.value
                this.setState({ sort })
                void this.fetchPage(null, sort)
              }}
            >
              {Object.entries(t.sorts).map(([k, v]) => (
                <option key={k} value={k}>{v}</option>
              ))}
            </select>
          </label>
        </div>
        {s.error && <p class="msg err" role="alert">{errorText(t, s.error)}</p>}
        {s.meta && !s.list.length && !s.error && <p class="hint">{t.empty}</p>}
        <ul class="list">
          {s.list.map((x) => (
            <CommentItem key={x.id} item={x} {...item} />
          ))}
        </ul>
        {s.meta?.nextCursor && (
          <button type="button" class="btn ghost" disabled={s.busy} onClick={() => this.fetchPage(s.meta!.nextCursor)}>
            {t.more}
          </button>
        )}
      </section>
    )
  }
}
