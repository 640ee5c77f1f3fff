import { fireEvent, screen, waitFor, within } from '@testing-library/preact'
import { describe, expect, it } from 'vitest'
import { API, apiError, deferred, json, pollView, serve, setUpPollTests, show, voteButton } from './poll-harness.tsx'

setUpPollTests()

describe('Poll: the form', () => {
  it('shows the question as the legend of a fieldset inside a form, with a labelled radio per option', async () => {
    serve(() => json(200, pollView()))
    const { container } = show()
    const legend = await screen.findByText('Bạn đọc tin tức chủ yếu trên thiết bị nào?')
    expect(legend.tagName).toBe('LEGEND')
    const fieldset = legend.parentElement!
    expect(fieldset.tagName).toBe('FIELDSET')
    expect(fieldset.firstElementChild).toBe(legend)
    expect(fieldset.closest('form')).toBe(container.querySelector('form'))
    const radios = within(fieldset).getAllByRole('radio') as HTMLInputElement[]
    expect(radios.map((r) => r.value)).toEqual(['a', 'b', 'c'])
    expect(new Set(radios.map((r) => r.name)).size).toBe(1)
    expect((screen.getByLabelText('Điện thoại') as HTMLInputElement).value).toBe('b')
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0)
    expect(screen.getByText('Chọn một phương án')).toBeTruthy()
    const button = voteButton()
    expect(button.type).toBe('submit')
    expect(fieldset.contains(button) || container.querySelector('form')!.contains(button)).toBe(true)
  })

  it('gives two polls on one page separate radio groups', async () => {
    serve(() => json(200, pollView()))
    show()
    show()
    await waitFor(() => expect(screen.getAllByRole('radio')).toHaveLength(6))
    const names = new Set((screen.getAllByRole('radio') as HTMLInputElement[]).map((r) => r.name))
    expect(names.size).toBe(2)
  })

  it('uses labelled checkboxes for a multiple-choice poll and says how many may be chosen', async () => {
    serve(() => json(200, pollView({ multiple: true, maxChoices: 2 })))
    show()
    await screen.findByText('Chọn tối đa 2 phương án')
    expect(screen.getAllByRole('checkbox')).toHaveLength(3)
    expect(screen.queryAllByRole('radio')).toHaveLength(0)
    expect((screen.getByLabelText('Máy tính') as HTMLInputElement).type).toBe('checkbox')
  })

  it('keeps the vote button disabled until a choice is made', async () => {
    serve(() => json(200, pollView()))
    show()
    await screen.findAllByRole('radio')
    expect(voteButton().disabled).toBe(true)
    fireEvent.click(screen.getByLabelText('Báo giấy'))
    expect(voteButton().disabled).toBe(false)
  })

  it('allows no more than maxChoices boxes and disables the button again when all are unticked', async () => {
    serve(() => json(200, pollView({ multiple: true, maxChoices: 2 })))
    show()
    await screen.findAllByRole('checkbox')
    fireEvent.click(screen.getByLabelText('Báo giấy'))
    fireEvent.click(screen.getByLabelText('Điện thoại'))
    expect(voteButton().disabled).toBe(false)
    expect((screen.getByLabelText('Máy tính') as HTMLInputElement).disabled).toBe(true)
    fireEvent.click(screen.getByLabelText('Báo giấy'))
    fireEvent.click(screen.getByLabelText('Điện thoại'))
    expect(voteButton().disabled).toBe(true)
    expect((screen.getByLabelText('Máy tính') as HTMLInputElement).disabled).toBe(false)
  })

  it('sends the token of a reader who has one with every request, and the ballot as JSON', async () => {
    const known = 'a-reader-who-voted-before'
    localStorage.setItem('voxpop:voter', known)
    const fetchMock = serve(
      () => json(200, pollView()),
      () => json(201, pollView({ myVote: ['c'] })),
    )
    show()
    fireEvent.click(await screen.findByLabelText('Máy tính'))
    fireEvent.click(voteButton())
    await screen.findByText('Cảm ơn bạn đã bình chọn!')
    expect(fetchMock).toHaveBeenCalledTimes(2)
    const [[getUrl, getInit], [postUrl, postInit]] = fetchMock.mock.calls as unknown as [[string, RequestInit], [string, RequestInit]]
    expect(getUrl).toBe(`${API}/api/polls/p1`)
    expect(postUrl).toBe(`${API}/api/polls/p1/votes`)
    const getHeaders = getInit.headers as Record<string, string>
    const postHeaders = postInit.headers as Record<string, string>
    expect(getHeaders['X-Voxpop-Voter']).toBe(known)
    expect(postHeaders['X-Voxpop-Voter']).toBe(known)
    expect(postHeaders['Content-Type']).toBe('application/json')
    expect(JSON.parse(postInit.body as string)).toEqual({ options: ['c'] })
  })

  it('encodes the poll id into the request path', async () => {
    const fetchMock = serve(() => apiError(404, 'poll_not_found'))
    show('vi', 'a/b?c')
    await screen.findByRole('alert')
    expect(fetchMock.mock.calls[0]![0]).toBe(`${API}/api/polls/a%2Fb%3Fc`)
  })
})

describe('Poll: voting', () => {
  it('shows the vote counted at once, with the button disabled, until the server confirms', async () => {
    const post = deferred()
    serve(
      () => json(200, pollView()),
      () => post.promise,
    )
    const { container } = show()
    fireEvent.click(await screen.findByLabelText('Điện thoại'))
    fireEvent.click(voteButton())

    const sending = voteButton('Đang gửi…')
    expect(sending.disabled).toBe(true)
    expect(screen.queryAllByRole('radio')).toHaveLength(0)
    const mine = container.querySelector('li.mine')!
    expect(mine.textContent).toContain('Điện thoại')
    expect(mine.textContent).toContain('Lựa chọn của bạn')
    expect(mine.textContent).toContain('80%')
    expect(mine.textContent).toContain('4 phiếu')
    expect(container.querySelectorAll('li.mine')).toHaveLength(1)
    expect(screen.getByText('Tổng cộng 5 người đã bình chọn')).toBeTruthy()

    const confirmed = pollView({ myVote: ['b'] })
    confirmed.results = {
      totalVotes: 7,
      totalVoters: 7,
      options: [
        { id: 'a', votes: 1, percent: 14 },
        { id: 'b', votes: 6, percent: 86 },
        { id: 'c', votes: 0, percent: 0 },
      ],
    }
    post.release(json(201, confirmed))
    await screen.findByText('Cảm ơn bạn đã bình chọn!')
    expect(container.querySelector('li.mine')!.textContent).toContain('86%')
    expect(container.querySelector('li.mine')!.textContent).toContain('6 phiếu')
    expect(screen.getByText('Tổng cộng 7 người đã bình chọn')).toBeTruthy()
    expect(screen.queryByRole('button')).toBeNull()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('ignores a second submit while the first vote is in flight', async () => {
    const post = deferred()
    const fetchMock = serve(
      () => json(200, pollView()),
      () => post.promise,
    )
    const { container } = show()
    fireEvent.click(await screen.findByLabelText('Điện thoại'))
    fireEvent.click(voteButton())
    fireEvent.submit(container.querySelector('form')!)
    fireEvent.submit(container.querySelector('form')!)
    post.release(json(201, pollView({ myVote: ['b'] })))
    await screen.findByText('Cảm ơn bạn đã bình chọn!')
    expect(fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST')).toHaveLength(1)
  })

  it('marks the choice while in flight on a poll whose results stay hidden until the vote', async () => {
    const post = deferred()
    serve(
      () => json(200, pollView({ resultsVisibility: 'after_vote', results: null })),
      () => post.promise,
    )
    show()
    fireEvent.click(await screen.findByLabelText('Máy tính'))
    fireEvent.click(voteButton())
    expect(voteButton('Đang gửi…').disabled).toBe(true)
    expect((screen.getByLabelText('Máy tính') as HTMLInputElement).checked).toBe(true)
    // The reader has just voted: telling them results come "after you vote" would be wrong.
    expect(screen.queryByText(/Kết quả sẽ hiện sau khi bạn bình chọn/)).toBeNull()
    post.release(json(201, pollView({ resultsVisibility: 'after_vote', myVote: ['c'] })))
    await screen.findByText('Cảm ơn bạn đã bình chọn!')
    expect(screen.getByText('Lựa chọn của bạn', { exact: false }).closest('li')!.textContent).toContain('Máy tính')
  })

  it('rolls back to the form with a translated error when the server answers 500', async () => {
    const post = deferred()
    serve(
      () => json(200, pollView()),
      () => post.promise,
    )
    const { container } = show()
    fireEvent.click(await screen.findByLabelText('Điện thoại'))
    fireEvent.click(voteButton())
    expect(container.querySelector('li.mine')).not.toBeNull()

    post.release(apiError(500, 'internal_error'))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toBe('Đã có lỗi xảy ra. Vui lòng thử lại sau.')
    expect(container.querySelector('.results')).toBeNull()
    expect(screen.getAllByRole('radio')).toHaveLength(3)
    expect((screen.getByLabelText('Điện thoại') as HTMLInputElement).checked).toBe(true)
    expect(voteButton().disabled).toBe(false)
    expect(screen.queryByText('Cảm ơn bạn đã bình chọn!')).toBeNull()
  })

  it('rolls back with the network message when the vote request cannot be sent, and can vote again', async () => {
    let attempt = 0
    serve(
      () => json(200, pollView()),
      () => (++attempt === 1 ? Promise.reject(new TypeError('Failed to fetch')) : json(201, pollView({ myVote: ['a'] }))),
    )
    show('en')
    fireEvent.click(await screen.findByLabelText('Báo giấy'))
    fireEvent.click(voteButton('Vote'))
    expect((await screen.findByRole('alert')).textContent).toBe('Could not reach the server. Check your connection and try again.')
    expect(screen.getAllByRole('radio')).toHaveLength(3)

    fireEvent.click(voteButton('Vote'))
    await screen.findByText('Thank you for voting!')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('shows the results the server sends with 409 already_voted', async () => {
    const seen = pollView({ myVote: ['c'] })
    seen.results = {
      totalVotes: 5,
      totalVoters: 5,
      options: [
        { id: 'a', votes: 1, percent: 20 },
        { id: 'b', votes: 3, percent: 60 },
        { id: 'c', votes: 1, percent: 20 },
      ],
    }
    serve(
      () => json(200, pollView()),
      () => apiError(409, 'already_voted', { poll: seen }),
    )
    const { container } = show()
    fireEvent.click(await screen.findByLabelText('Điện thoại'))
    fireEvent.click(voteButton())
    expect((await screen.findByRole('alert')).textContent).toBe('Bạn đã bình chọn trong cuộc thăm dò này rồi.')
    const mine = container.querySelectorAll('li.mine')
    expect(mine).toHaveLength(1)
    expect(mine[0]!.textContent).toContain('Máy tính')
    expect(screen.getByText('Tổng cộng 5 người đã bình chọn')).toBeTruthy()
    expect(screen.queryAllByRole('radio')).toHaveLength(0)
    expect(screen.queryByRole('button')).toBeNull()
  })

  it('shows the results, not the form, to a reader who has already voted', async () => {
    serve(() => json(200, pollView({ myVote: ['a'] })))
    const { container } = show()
    await screen.findByText('Cảm ơn bạn đã bình chọn!')
    expect(container.querySelector('li.mine')!.textContent).toContain('Báo giấy')
    expect(screen.getByText('Tổng cộng 4 người đã bình chọn')).toBeTruthy()
    expect(screen.queryAllByRole('radio')).toHaveLength(0)
  })
})
