import { cleanup, render, screen } from '@testing-library/preact'
import { afterEach, beforeAll, beforeEach, vi } from 'vitest'
import type { PollView } from '../../server/types.ts'
import { Poll } from '../../widget/src/components/Poll.tsx'
import type { Lang } from '../../widget/src/config.ts'
import { loadDict } from '../../widget/src/i18n/translate.ts'

/** The API origin the rendered widgets talk to (through the mocked fetch). */
export const API = 'https://polls.example.com'

/** An open single-choice poll as `GET /api/polls/:id` answers it, 4 votes in, results visible. */
export function pollView(over: Partial<PollView> = {}): PollView {
  return {
    id: 'p1',
    question: 'Bạn đọc tin tức chủ yếu trên thiết bị nào?',
    options: [
      { id: 'a', label: 'Báo giấy' },
      { id: 'b', label: 'Điện thoại' },
      { id: 'c', label: 'Máy tính' },
    ],
    multiple: false,
    maxChoices: 1,
    status: 'open',
    opensAt: null,
    closesAt: null,
    resultsVisibility: 'always',
    myVote: null,
    results: {
      totalVotes: 4,
      totalVoters: 4,
      options: [
        { id: 'a', votes: 1, percent: 25 },
        { id: 'b', votes: 3, percent: 75 },
        { id: 'c', votes: 0, percent: 0 },
      ],
    },
    ...over,
  }
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

/** An error response in the API's envelope; `extra` adds top-level fields (e.g. `poll` on 409). */
export const apiError = (status: number, code: string, extra: object = {}, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message: `server says ${code}` }, ...extra }, headers)

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>

/** Replaces fetch: GETs go to `get`, POSTs to `post`; every call is recorded. */
export function serve(get: Handler, post: Handler = () => apiError(500, 'internal_error')) {
  const fetchMock = vi.fn((url: string, init: RequestInit = {}) => Promise.resolve((init.method === 'POST' ? post : get)(url, init)))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

/** A response the test releases when it wants, to look at the widget while a request is in flight. */
export function deferred() {
  let release!: (r: Response | Error) => void
  const promise = new Promise<Response>((resolve, reject) => {
    release = (r) => (r instanceof Error ? reject(r) : resolve(r))
  })
  return { promise, release }
}

/** Renders the poll widget as a page would mount it. */
export function show(lang: Lang = 'vi', id = 'p1') {
  return render(<Poll id={id} config={{ api: API, lang, theme: 'auto' }} />)
}

/** The vote button, found by its visible name. */
export const voteButton = (name: string | RegExp = 'Bình chọn') => screen.getByRole('button', { name }) as HTMLButtonElement

/** Registers the hooks every Poll test file needs: dictionaries loaded, fresh storage, fetch restored. */
export function setUpPollTests() {
  // The widget's scan loads the dictionaries before it renders anything; so do these tests.
  beforeAll(() => Promise.all([loadDict('vi'), loadDict('en')]))
  beforeEach(() => localStorage.clear())
  afterEach(() => {
    cleanup()
    vi.unstubAllGlobals()
  })
}
