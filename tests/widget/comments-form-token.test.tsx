import { fireEvent, render, screen, waitFor } from '@testing-library/preact'
import { describe, expect, it } from 'vitest'
import type { CommentListResponse, CommentPostResponse } from '../../server/types.ts'
import { Comments } from '../../widget/src/components/Comments.tsx'
import { API, json, serve, setUpPollTests } from './poll-harness.tsx'

setUpPollTests()

/** A form token as the server signs it: `<issued at, epoch ms>.<mac>`. */
const token = (at: number, mac: string) => `${at}.${mac.padEnd(43, 'x')}`

function listAnswer(formToken: string, total: number): CommentListResponse {
  return { comments: [], nextCursor: null, total, formToken }
}

function postAnswer(): CommentPostResponse {
  const comment = { id: 7, parentId: null, replyTo: null, author: 'Lan', body: 'Đường sá xuống cấp quá.', createdAt: new Date().toISOString(), editedAt: null, likes: 0, likedByMe: false, replies: [] }
  return { comment, status: 'pending', editToken: token(Date.now() + 900_000, 'edit'), editableUntil: new Date(Date.now() + 900_000).toISOString() }
}

async function sendAfterSortChange(firstIssuedAt: number) {
  const first = token(firstIssuedAt, 'first')
  const fresh = token(Date.now(), 'fresh')
  let gets = 0
  const fetchMock = serve(
    // The second answer says 3 comments, so the test can see when the widget has taken it in.
    () => (gets++ === 0 ? json(200, listAnswer(first, 0)) : json(200, listAnswer(fresh, 3))),
    () => json(201, postAnswer()),
  )
  render(<Comments page="bai-viet-1" title="Bài viết" config={{ api: API, lang: 'vi', theme: 'auto' }} />)
  await screen.findByText(/bình luận/i, { selector: 'h2' })
  fireEvent.change(screen.getByRole('combobox'), { target: { value: 'oldest' } })
  await screen.findByText('3 bình luận', { selector: 'h2' })
  fireEvent.input(screen.getByRole('textbox', { name: /bình luận/i }), { target: { value: 'Đường sá xuống cấp quá.' } })
  fireEvent.submit(screen.getByRole('textbox', { name: /bình luận/i }).closest('form')!)
  await waitFor(() => expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true))
  const [, init] = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST')!
  return { sent: (JSON.parse(init!.body as string) as { formToken: string }).formToken, first, fresh }
}

describe('Comments form token', () => {
  it('keeps the token of the first page when the reader changes the sort, so a quick comment is not taken for a bot', async () => {
    const { sent, first } = await sendAfterSortChange(Date.now() - 60_000)
    expect(sent).toBe(first)
  })

  it('takes a fresh token once the first is close to its one-day limit', async () => {
    const { sent, fresh } = await sendAfterSortChange(Date.now() - 12 * 3_600_000)
    expect(sent).toBe(fresh)
  })
})
