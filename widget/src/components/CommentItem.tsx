// Classic JSX: h() calls ship fewer bytes than the automatic runtime (no preact/jsx-runtime).
/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
import { Component, Fragment, h } from 'preact'
import type { CommentView } from '../../../server/types.ts'
import type { Lang } from '../config.ts'
import { editToken, type NewComment } from '../thread.ts'
import type { Dict } from '../i18n/vi.ts'
import { linkify, timeAgo } from '../text.ts'
import { CommentForm } from './CommentForm.tsx'

interface Props {
  item: CommentView
  t: Dict
  lang: Lang
  onReply: (input: NewComment) => Promise<unknown>
  onLike: (item: CommentView) => void
  onEdit: (item: CommentView, body: string) => Promise<void>
  onRemove: (item: CommentView) => void
}

type Mode = 'reply' | 'edit' | null

/** One comment with its actions, and its replies one level below. */
export class CommentItem extends Component<Props, { mode?: Mode }> {
  override render(props: Props, { mode }: { mode?: Mode }) {
    const { item, t, lang } = props
    const setMode = (m: Mode) => this.setState({ mode: m })
    const deleted = item.status === 'deleted'
    const own = !deleted && editToken(item.id) !== undefined
    const name = item.author || t.guest
    const top = item.parentId === null
    return (
      <li class="cm">
        <article aria-label={name}>
          <header>
            <b>{deleted ? '—' : name}</b>
            <time dateTime={item.createdAt} title={new Date(item.createdAt).toLocaleString(lang)}>
              {timeAgo(item.createdAt, lang)}
            </time>
            {item.editedAt && <span class="hint">({t.edited})</span>}
            {item.status === 'pending' && <span class="pend">{t.pending}</span>}
          </header>
          {mode === 'edit' ? (
            <CommentForm t={t} label={t.edit} initial={item.body} onSubmit={async ({ body }) => { await props.onEdit(item, body); setMode(null) }} onCancel={() => setMode(null)} />
          ) : (
            <p class={deleted ? 'body hint' : 'body'}>
              {deleted ? t.removed : item.replyTo ? [<b>@{item.replyTo} </b>, ...linkify(item.body)] : linkify(item.body)}
            </p>
          )}
          {!deleted && (
            <div class="acts">
              {item.status !== 'pending' && (
                <>
                  <button type="button" class="link" aria-pressed={item.likedByMe} onClick={() => props.onLike(item)}>
                    ♥ {t.like} {item.likes > 0 && item.likes}
                  </button>
                  <button type="button" class="link" aria-expanded={mode === 'reply'} onClick={() => setMode(mode === 'reply' ? null : 'reply')}>
                    {t.reply}
                  </button>
                </>
              )}
              {own && mode !== 'edit' && (
                <>
                  <button type="button" class="link" onClick={() => setMode('edit')}>{t.edit}</button>
                  <button type="button" class="link" onClick={() => confirm(t.confirmRemove) && props.onRemove(item)}>{t.remove}</button>
                </>
              )}
            </div>
          )}
          {mode === 'reply' && (
            <CommentForm
              t={t}
              label={t.replyTo(name)}
              withName
              onSubmit={async (input) => {
                const res = await props.onReply({ ...input, parentId: item.id })
                setMode(null)
                return res
              }}
              onCancel={() => setMode(null)}
            />
          )}
        </article>
        {top && item.replies.length > 0 && (
          <ul class="replies">
            {item.replies.map((r) => (
              <CommentItem key={r.id} {...props} item={r} />
            ))}
          </ul>
        )}
      </li>
    )
  }
}
