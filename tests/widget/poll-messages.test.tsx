import { cleanup, fireEvent, screen } from '@testing-library/preact'
import { describe, expect, it } from 'vitest'
import { apiError, deferred, json, pollView, serve, setUpPollTests, show, voteButton } from './poll-harness.tsx'

setUpPollTests()

describe('Poll: messages instead of a blank box', () => {
  const cases: [string, () => Response | Promise<Response>, string, string][] = [
    ['an unknown poll', () => apiError(404, 'poll_not_found'), 'Không tìm thấy cuộc thăm dò này.', 'This poll could not be found.'],
    [
      'a network failure',
      () => Promise.reject(new TypeError('Failed to fetch')),
      'Không kết nối được với máy chủ. Vui lòng kiểm tra mạng và thử lại.',
      'Could not reach the server. Check your connection and try again.',
    ],
    ['a server error', () => apiError(500, 'internal_error'), 'Đã có lỗi xảy ra. Vui lòng thử lại sau.', 'Something went wrong. Please try again later.'],
    ['a non-JSON error page', () => new Response('<h1>Bad gateway</h1>', { status: 502 }), 'Đã có lỗi xảy ra. Vui lòng thử lại sau.', 'Something went wrong. Please try again later.'],
    [
      'a rate limit',
      () => apiError(429, 'rate_limited', {}, { 'Retry-After': '30' }),
      'Vui lòng thử lại sau 30 giây.',
      'Please try again in 30 seconds.',
    ],
  ]

  for (const [what, reply, vi, en] of cases) {
    it(`explains ${what} while loading, in Vietnamese and in English`, async () => {
      serve(reply)
      show('vi')
      expect((await screen.findByRole('alert')).textContent).toContain(vi)
      cleanup()
      show('en')
      expect((await screen.findByRole('alert')).textContent).toContain(en)
    })
  }

  it('says "loading" until the poll arrives', async () => {
    const get = deferred()
    serve(() => get.promise)
    show()
    expect(screen.getByRole('status').textContent).toBe('Đang tải…')
    get.release(json(200, pollView()))
    await screen.findAllByRole('radio')
  })

  it('offers a retry after a network failure but not for an unknown poll', async () => {
    let attempt = 0
    serve(() => (++attempt === 1 ? Promise.reject(new TypeError('Failed to fetch')) : json(200, pollView())))
    show()
    await screen.findByRole('alert')
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }))
    await screen.findAllByRole('radio')
    expect(screen.queryByRole('alert')).toBeNull()
    cleanup()

    serve(() => apiError(404, 'poll_not_found'))
    show()
    await screen.findByRole('alert')
    expect(screen.queryByRole('button')).toBeNull()
  })

  it('explains a rate limit on the vote itself and keeps the form', async () => {
    serve(
      () => json(200, pollView()),
      () => apiError(429, 'rate_limited', {}, { 'Retry-After': '120' }),
    )
    show()
    fireEvent.click(await screen.findByLabelText('Báo giấy'))
    fireEvent.click(voteButton())
    const text = (await screen.findByRole('alert')).textContent!
    expect(text).toContain('Bạn thao tác quá nhanh.')
    expect(text).toContain('Vui lòng thử lại sau 2 phút.')
    expect(screen.getAllByRole('radio')).toHaveLength(3)
  })

  it('translates a vote refused because the poll closed meanwhile', async () => {
    serve(
      () => json(200, pollView()),
      () => apiError(403, 'poll_closed'),
    )
    show('en')
    fireEvent.click(await screen.findByLabelText('Báo giấy'))
    fireEvent.click(voteButton('Vote'))
    expect((await screen.findByRole('alert')).textContent).toBe('This poll has closed; no more votes can be cast.')
  })

  it('says a closed poll has closed and shows its results without a vote button', async () => {
    serve(() => json(200, pollView({ status: 'closed', closesAt: '2024-01-01T00:00:00.000Z', resultsVisibility: 'after_vote' })))
    const { container } = show()
    await screen.findByText('Cuộc thăm dò đã kết thúc.')
    expect(container.querySelector('.results')).not.toBeNull()
    expect(screen.queryByRole('button')).toBeNull()
    expect(screen.queryAllByRole('radio')).toHaveLength(0)
    cleanup()
    show('en')
    await screen.findByText('This poll has closed.')
  })

  it('says when an upcoming poll opens and lets nobody vote yet', async () => {
    const upcoming = pollView({ status: 'upcoming', opensAt: '2031-05-20T03:00:00.000Z', results: null, resultsVisibility: 'after_vote' })
    serve(() => json(200, upcoming))
    show()
    const note = await screen.findByText(/Cuộc thăm dò sẽ mở lúc/)
    expect(note.textContent).toContain('2031')
    expect(screen.queryByRole('button')).toBeNull()
    for (const radio of screen.getAllByRole('radio') as HTMLInputElement[]) expect(radio.closest('fieldset')!.disabled).toBe(true)
    cleanup()
    show('en')
    expect((await screen.findByText(/This poll opens on/)).textContent).toContain('2031')
  })

  it('tells a voter on an after_close poll when results will appear', async () => {
    serve(() => json(200, pollView({ resultsVisibility: 'after_close', myVote: ['b'], results: null })))
    show()
    await screen.findByText(/Kết quả sẽ được công bố khi cuộc thăm dò kết thúc\./)
  })
})
