import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import type { AdminCommentView, AdminThreadListResponse } from '../../server/types.ts'
import { Moderation } from '../../widget/admin/src/components/Moderation.tsx'
import { AdminContext } from '../../widget/admin/src/hooks/useAdmin.ts'
import { I18nContext } from '../../widget/admin/src/i18n/i18n.ts'
import { en } from '../../widget/admin/src/i18n/en.ts'
import { vi as viDict } from '../../widget/admin/src/i18n/vi.ts'
import { ApiFailure, attachmentName, type AdminApi } from '../../widget/admin/src/lib/api.ts'
import { draftBody, emptyDraft } from '../../widget/admin/src/lib/poll-draft.ts'
import { isoToZonedInput, zonedInputToIso } from '../../widget/admin/src/lib/zoned-time.ts'

afterEach(cleanup)

function comment(id: number, over: Partial<AdminCommentView> = {}): AdminCommentView {
  return {
    id,
    parentId: null,
    replyTo: null,
    author: `Bạn đọc ${id}`,
    body: `Nội dung bình luận số ${id}`,
    createdAt: '2025-06-01T08:00:00.000Z',
    editedAt: null,
    likes: 0,
    likedByMe: false,
    replies: [],
    status: 'pending',
    page: 'bai-1',
    pageTitle: 'Bài số 1',
    pageUrl: 'https://bao.example/bai-1',
    email: null,
    ...over,
  }
}

/** An admin API answering from an in-memory queue, recording every call. */
function fakeApi(comments: AdminCommentView[]) {
  const calls: string[] = []
  /** The article picker's reads, kept apart so the other tests can check the order of the rest. */
  const threadCalls: string[] = []
  const api: AdminApi = {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const url = new URL(path, 'http://console')
      const status = url.searchParams.get('status')
      const ofStatus = comments.filter((c) => status === 'all' || c.status === status)
      if (method === 'GET' && url.pathname === '/api/admin/threads') {
        threadCalls.push(path)
        const pages = [...new Set(ofStatus.map((c) => c.page))]
        const threads = pages.map((page) => {
          const mine = ofStatus.filter((c) => c.page === page)
          return { page, title: mine[0]!.pageTitle, url: mine[0]!.pageUrl, count: mine.length, lastCommentAt: mine[0]!.createdAt }
        })
        return { threads } satisfies AdminThreadListResponse as T
      }
      calls.push(`${method} ${path}${body === undefined ? '' : ' ' + JSON.stringify(body)}`)
      if (method === 'GET' && url.pathname === '/api/admin/comments') {
        const page = url.searchParams.get('page')
        const shown = ofStatus.filter((c) => page === null || c.page === page)
        return { comments: shown, nextCursor: null, total: shown.length } as T
      }
      const m = /^\/api\/admin\/comments\/(\d+)(?:\/(approve|reject))?$/.exec(url.pathname)
      const found = comments.find((c) => c.id === Number(m?.[1]))
      if (!m || !found) throw new ApiFailure(404, 'comment_not_found', 'gone')
      if (method === 'DELETE') {
        comments.splice(comments.indexOf(found), 1)
        return null as T
      }
      found.status = m[2] === 'approve' ? 'approved' : 'rejected'
      return { ...found } as T
    },
    download: async () => {},
  }
  return { api, calls, threadCalls }
}

function renderModeration(api: AdminApi, dict = viDict) {
  return render(
    <I18nContext.Provider value={dict}>
      <AdminContext.Provider value={{ api, config: { timezone: 'Asia/Ho_Chi_Minh', moderation: 'pre' }, lang: dict === en ? 'en' : 'vi' }}>
        <Moderation />
      </AdminContext.Provider>
    </I18nContext.Provider>,
  )
}

const cards = () => document.querySelectorAll<HTMLElement>('.comment-card')

describe('Moderation', () => {
  it('shows the pending queue with each comment as text, never as HTML', async () => {
    const xss = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    const { api, calls } = fakeApi([comment(1, { body: xss, author: '<b>Kẻ xấu</b>', pageUrl: 'javascript:alert(1)' }), comment(2, { status: 'approved' })])
    renderModeration(api)
    await waitFor(() => expect(cards()).toHaveLength(1))
    expect(calls[0]).toBe('GET /api/admin/comments?status=pending')
    const card = cards()[0]!
    expect(card.querySelector('.comment-body')!.textContent).toBe(xss)
    expect(card.querySelector('img, script, b')).toBeNull()
    expect(within(card).queryByRole('link')).toBeNull()
    expect(within(card).getByText('Bài số 1')).toBeTruthy()
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })

  it('approves and deletes several selected comments at once with the bulk bar', async () => {
    const { api, calls } = fakeApi([comment(1), comment(2), comment(3), comment(4)])
    renderModeration(api)
    await waitFor(() => expect(cards()).toHaveLength(4))
    fireEvent.click(screen.getByLabelText('Chọn bình luận này #1'))
    fireEvent.click(screen.getByLabelText('Chọn bình luận này #3'))
    expect(screen.getByText('Đã chọn 2')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Duyệt các bình luận đã chọn' }))
    await waitFor(() => expect(cards()).toHaveLength(2))
    expect(calls).toContain('POST /api/admin/comments/1/approve {}')
    expect(calls).toContain('POST /api/admin/comments/3/approve {}')
    expect(screen.getByText('Đã xử lý 2 bình luận.')).toBeTruthy()
    expect(screen.getByText('2 bình luận')).toBeTruthy()

    fireEvent.click(screen.getByLabelText('Chọn tất cả trong danh sách'))
    fireEvent.click(screen.getByRole('button', { name: 'Xoá các bình luận đã chọn' }))
    const confirm = await screen.findByRole('alertdialog')
    fireEvent.click(within(confirm).getByRole('button', { name: 'Xoá vĩnh viễn' }))
    await waitFor(() => expect(cards()).toHaveLength(0))
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE /api/admin/comments/2', 'DELETE /api/admin/comments/4'])
    expect(screen.getByText('Tuyệt vời! Không còn bình luận nào chờ duyệt.')).toBeTruthy()
  })

  it('moves with J and K, selects with X, approves with A and rejects with R', async () => {
    const { api, calls } = fakeApi([comment(1), comment(2), comment(3)])
    renderModeration(api)
    await waitFor(() => expect(cards()).toHaveLength(3))
    expect(cards()[0]!.classList.contains('active')).toBe(true)
    fireEvent.keyDown(window, { key: 'j' })
    fireEvent.keyDown(window, { key: 'j' })
    fireEvent.keyDown(window, { key: 'k' })
    expect(cards()[1]!.classList.contains('active')).toBe(true)
    fireEvent.keyDown(window, { key: 'a' })
    await waitFor(() => expect(cards()).toHaveLength(2))
    expect(calls.at(-1)).toBe('POST /api/admin/comments/2/approve {}')
    fireEvent.keyDown(window, { key: 'x' })
    expect(screen.getByText('Đã chọn 1')).toBeTruthy()
    fireEvent.keyDown(window, { key: 'r' })
    await waitFor(() => expect(cards()).toHaveLength(1))
    expect(calls.at(-1)).toMatch(/^POST \/api\/admin\/comments\/\d\/reject \{\}$/)
    // Typing in a filter field is text, not a shortcut.
    fireEvent.keyDown(screen.getByLabelText('Tìm trong nội dung, tên'), { key: 'a' })
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(2)
  })

  it('filters by article from a picker of the articles with comments of the chosen status, with their counts', async () => {
    const { api, calls, threadCalls } = fakeApi([
      comment(1, { page: 'lu-lut', pageTitle: 'Lũ lụt miền Trung' }),
      comment(2, { page: 'lu-lut', pageTitle: 'Lũ lụt miền Trung' }),
      comment(3, { page: 'gia-xang', pageTitle: null }),
      comment(4, { page: 'cu', pageTitle: 'Bài cũ', status: 'approved' }),
    ])
    renderModeration(api)
    await waitFor(() => expect(cards()).toHaveLength(3))
    const picker = screen.getByLabelText('Bài viết') as HTMLSelectElement
    const options = () => [...picker.options].map((o) => [o.value, o.textContent])
    await waitFor(() =>
      expect(options()).toEqual([
        ['', 'Mọi bài viết'],
        ['lu-lut', 'Lũ lụt miền Trung (2)'],
        ['gia-xang', 'gia-xang (1)'],
      ]),
    )
    // Read once, after the queue has loaded (not once more when its total arrives).
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(threadCalls).toEqual(['/api/admin/threads?status=pending&limit=100'])

    fireEvent.change(picker, { target: { value: 'lu-lut' } })
    await waitFor(() => expect(cards()).toHaveLength(2))
    expect(calls.at(-1)).toBe('GET /api/admin/comments?status=pending&page=lu-lut')
    // Approving one moves the count in the picker.
    fireEvent.keyDown(window, { key: 'a' })
    await waitFor(() => expect(options()).toContainEqual(['lu-lut', 'Lũ lụt miền Trung (1)']))

    // A status without comments on the chosen article still shows it, chosen, by its key.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const readsBefore = threadCalls.length
    fireEvent.change(screen.getByLabelText('Trạng thái'), { target: { value: 'rejected' } })
    await waitFor(() => expect(threadCalls.at(-1)).toBe('/api/admin/threads?status=rejected&limit=100'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(threadCalls.slice(readsBefore)).toEqual(['/api/admin/threads?status=rejected&limit=100'])
    await waitFor(() => expect(options()).toEqual([['', 'Mọi bài viết'], ['lu-lut', 'lu-lut']]))
    expect(picker.value).toBe('lu-lut')
    // Another status lists its own articles.
    fireEvent.change(screen.getByLabelText('Trạng thái'), { target: { value: 'approved' } })
    await waitFor(() => expect(options()).toContainEqual(['cu', 'Bài cũ (1)']))
    expect(options()).toContainEqual(['lu-lut', 'Lũ lụt miền Trung (1)'])
    expect(picker.value).toBe('lu-lut')
    fireEvent.change(picker, { target: { value: '' } })
    await waitFor(() => expect(calls.at(-1)).toBe('GET /api/admin/comments?status=approved'))
    await waitFor(() => expect(cards()).toHaveLength(2))
  })

  it('restores a rejected comment (approve) from the rejected view', async () => {
    const { api, calls } = fakeApi([comment(7, { status: 'rejected' })])
    renderModeration(api, en)
    await screen.findByText('All done! No comments are waiting.')
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'rejected' } })
    fireEvent.click(await screen.findByRole('button', { name: 'Restore' }))
    await waitFor(() => expect(cards()).toHaveLength(0))
    expect(calls.at(-1)).toBe('POST /api/admin/comments/7/approve {}')
  })
})

describe('console helpers', () => {
  it('converts wall time in VOXPOP_TIMEZONE to UTC and back, across daylight-saving changes', () => {
    expect(zonedInputToIso('2025-06-01T15:00', 'Asia/Ho_Chi_Minh')).toBe('2025-06-01T08:00:00.000Z')
    expect(isoToZonedInput('2025-06-01T08:00:00.000Z', 'Asia/Ho_Chi_Minh')).toBe('2025-06-01T15:00')
    expect(zonedInputToIso('2025-03-09T01:30', 'America/New_York')).toBe('2025-03-09T06:30:00.000Z')
    expect(zonedInputToIso('2025-03-09T03:30', 'America/New_York')).toBe('2025-03-09T07:30:00.000Z')
    expect(zonedInputToIso('2025-07-01T12:00', 'Europe/Berlin')).toBe('2025-07-01T10:00:00.000Z')
    expect(isoToZonedInput('2025-12-31T23:30:00.000Z', 'Europe/Berlin')).toBe('2026-01-01T00:30')
    expect(zonedInputToIso('not a date', 'Europe/Berlin')).toBeNull()
    // Clocks going forward skip 02:00–03:00: a time in the gap moves forward by the jump, in every zone.
    expect(zonedInputToIso('2025-03-09T02:30', 'America/New_York')).toBe('2025-03-09T07:30:00.000Z')
    expect(isoToZonedInput('2025-03-09T07:30:00.000Z', 'America/New_York')).toBe('2025-03-09T03:30')
    expect(zonedInputToIso('2025-03-30T02:30', 'Europe/Berlin')).toBe('2025-03-30T01:30:00.000Z')
    expect(isoToZonedInput('2025-03-30T01:30:00.000Z', 'Europe/Berlin')).toBe('2025-03-30T03:30')
    // Clocks going back repeat 01:00–02:00 (New York): the first of the two.
    expect(zonedInputToIso('2025-11-02T01:30', 'America/New_York')).toBe('2025-11-02T05:30:00.000Z')
    expect(zonedInputToIso('2025-10-26T02:30', 'Europe/Berlin')).toBe('2025-10-26T00:30:00.000Z')
  })

  it('builds the create body with times as ISO UTC, or lists what to fix in the editor’s language', () => {
    const draft = { ...emptyDraft(), question: ' Câu hỏi? ', closesAt: '2025-06-02T00:00' }
    draft.options = draft.options.map((o, i) => ({ ...o, label: ['Có', 'Không'][i]! }))
    expect(draftBody(draft, 'Asia/Ho_Chi_Minh', viDict, false)).toEqual({
      problems: [],
      body: {
        question: 'Câu hỏi?',
        options: ['Có', 'Không'],
        multiple: false,
        maxChoices: 1,
        closesAt: '2025-06-01T17:00:00.000Z',
        resultsVisibility: 'after_vote',
        dedupe: 'voter+ip',
        maxVotesPerIp: 50,
        ipWindowSeconds: 3600,
      },
    })
    const bad = { ...draft, question: '', opensAt: '2025-06-03T00:00' }
    bad.options = [{ ...draft.options[0]!, label: 'Có' }, { ...draft.options[1]!, label: 'có' }]
    expect(draftBody(bad, 'Asia/Ho_Chi_Minh', viDict, false).problems).toEqual([
      'Vui lòng nhập câu hỏi.',
      'Phương án “có” bị trùng.',
      'Thời điểm mở phải trước thời điểm đóng.',
    ])
  })

  it('reads the download name from filename* first', () => {
    expect(attachmentName(`attachment; filename="ban-doc.csv"; filename*=UTF-8''b%E1%BA%A1n-%C4%91%E1%BB%8Dc.csv`, 'x.csv')).toBe('bạn-đọc.csv')
    expect(attachmentName('attachment; filename="ban-doc.csv"', 'x.csv')).toBe('ban-doc.csv')
    expect(attachmentName(null, 'x.csv')).toBe('x.csv')
  })

  it('has the same keys in English as in Vietnamese', () => {
    const shape = (o: unknown): unknown =>
      typeof o === 'object' && o !== null ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, shape(v)]).sort()) : typeof o
    expect(shape(en)).toEqual(shape(viDict))
  })
})
