/** A thread's pure helpers: edit tokens kept on this device, the new-comment shape, tree updates. */
import type { CommentView } from '../../server/types.ts'
import { load, save } from './store.ts'

const EDIT_KEY = 'voxpop:edit'

type Tokens = Record<string, [token: string, until: number]>

function readTokens(): Tokens {
  try {
    return JSON.parse(load(EDIT_KEY) ?? '{}') as Tokens
  } catch {
    return {}
  }
}

/** The edit token for a comment while its edit window is open, else undefined. */
export function editToken(id: number): string | undefined {
  const entry = readTokens()[id]
  return entry && entry[1] > Date.now() ? entry[0] : undefined
}

/** Keeps a new comment's edit token until `until`, dropping tokens whose window has closed. */
export function saveToken(id: number, token: string, until: string) {
  const now = Date.now()
  const tokens = Object.fromEntries(Object.entries(readTokens()).filter(([, v]) => v[1] > now))
  tokens[id] = [token, Date.parse(until)]
  save(EDIT_KEY, JSON.stringify(tokens))
}

export interface NewComment {
  body: string
  author?: string
  parentId?: number
  website: string
}

/** Applies `fn` to the comment with `id`, wherever it sits (top level or reply); null drops it. */
export function mapTree(list: CommentView[], id: number, fn: (c: CommentView) => CommentView | null): CommentView[] {
  return list.flatMap((c) => {
    if (c.id === id) {
      const next = fn(c)
      return next ? [next] : []
    }
    return c.replies.length ? [{ ...c, replies: mapTree(c.replies, id, fn) }] : [c]
  })
}
