import type { Browser, BrowserContext, Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdminCommentListResponse, CommentListResponse, CommentPostResponse } from '../../server/types.ts'
import { launchChromium } from './chromium.ts'
import { hostPage, startHostSite, type HostSite } from './host-site.ts'
import { watchErrors } from './page-tools.ts'
import { startServer, type RunningServer } from './server.ts'

let server: RunningServer
let site: HostSite
let browser: Browser
let adminToken = ''

/** One thread per test, so no test sees another's comments. */
const THREADS = { remove: 'ca-xoa', like: 'ca-thich', sort: 'ca-sap-xep', more: 'ca-xem-them' }
/** The widget asks for pages of this many top-level comments (`limit=20` in Comments.tsx). */
const PAGE_SIZE = 20
const MORE_COMMENTS = 2 * PAGE_SIZE + 3
/** Comments sent sooner than 3 s after their form token are filed as spam. */
const FORM_TOKEN_AGE_MS = 3300
/** For `expect.poll`: a re-render after a request, with room for a loaded 2-core machine. */
const SOON = { timeout: 5000 }

/** A reader's token as the widget makes it: 128 random bits, base64url. */
const newVoter = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')

/** Calls the API as a reader (`voter`) or as the signed-in editor (`admin`); a 204 reads as null. */
async function api<T>(method: string, path: string, opts: { body?: unknown; voter?: string; admin?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = {}
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
  if (opts.voter) headers['X-Voxpop-Voter'] = opts.voter
  if (opts.admin) headers.Authorization = `Bearer ${adminToken}`
  const res = await fetch(server.url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) })
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`)
  return (res.status === 204 ? null : await res.json()) as T
}

/** A thread's first page as an anonymous reader gets it, or as the reader with this token. */
const list = (page: string, voter?: string) => api<CommentListResponse>('GET', `/api/comments?page=${page}`, voter ? { voter } : {})

/** Every stored comment of a thread, any status, newest first. */
const adminList = (page: string) => api<AdminCommentListResponse>('GET', `/api/admin/comments?status=all&page=${page}&limit=100`, { admin: true })

/** Posts each body as its own reader, all at once, and approves them; answers in `bodies` order. */
async function seed(page: string, bodies: string[], formToken: string): Promise<CommentPostResponse[]> {
  const posted = await Promise.all(
    bodies.map((body) => api<CommentPostResponse>('POST', '/api/comments', { body: { page, body, formToken }, voter: newVoter() })),
  )
  await Promise.all(posted.map((p) => api('POST', `/api/admin/comments/${p.comment.id}/approve`, { body: {}, admin: true })))
  return posted
}

/** Gives comment `id` this many likes, each from a different reader. */
const likeTimes = (id: number, n: number) =>
  Promise.all(Array.from({ length: n }, () => api('PUT', `/api/comments/${id}/like`, { voter: newVoter() })))

const thread = (page: Page) => page.locator('[data-voxpop-comments]')
const header = (page: Page) => thread(page).locator('h2.count')
const topBodies = (page: Page) => thread(page).locator('ul.list > li.cm > article > p.body').allTextContents()
const item = (page: Page, body: string) => thread(page).locator('ul.list > li.cm').filter({ hasText: body })

/** Opens the page of `key` in a fresh tab and waits until its comments have loaded. */
async function openThread(context: BrowserContext, key: keyof typeof THREADS) {
  const page = await context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${site.url}/${key}`)
  await thread(page).scrollIntoViewIfNeeded()
  await header(page).filter({ hasText: 'bình luận' }).waitFor()
  // The widget's form token comes with this list: its 3 s start now.
  return { page, errors, loadedAt: Date.now() }
}

/** Sends `body` from the thread's main form no sooner than the spam filter allows; resolves to the new id. */
async function post(page: Page, body: string, tokenAt: number): Promise<number> {
  const form = thread(page).locator('form.cform').first()
  await form.locator('textarea').fill(body)
  await page.waitForTimeout(Math.max(0, tokenAt + FORM_TOKEN_AGE_MS - Date.now()))
  const answer = answerTo(page, 'POST', '/api/comments')
  await form.locator('button[type=submit]').click()
  return ((await (await answer).json()) as CommentPostResponse).comment.id
}

/** The anonymous token the widget keeps for this reader, as it sends it in X-Voxpop-Voter. */
const readerToken = (page: Page) => page.evaluate(() => localStorage.getItem('voxpop:voter'))

/** Waits for the answer to the widget's `method` request on a path ending with `path`. */
const answerTo = (page: Page, method: string, path: string): Promise<Response> =>
  page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(path))

const snippet = () => `<script src="${server.url}/embed.js" async></script>`

let sortSeeds: CommentPostResponse[]
let moreSeeds: CommentPostResponse[]

beforeAll(async () => {
  // Every comment here comes from 127.0.0.1: lift the per-client limit (60 per 10 minutes) above the seeding.
  server = await startServer({ VOXPOP_RATE_COMMENT: '1000/60s' })
  const pages = Object.fromEntries(
    Object.entries(THREADS).map(([key, page]) => [
      `/${key}`,
      { body: hostPage(`<section><div data-voxpop-comments data-page="${page}" data-title="Giá xăng tăng"></div></section>${snippet()}`) },
    ]),
  )
  const tokenAt = Date.now()
  const [{ formToken }, session] = await Promise.all([
    list(THREADS.sort),
    api<{ token: string }>('POST', '/api/admin/session', { body: { password: 'test-password-123' } }),
    launchChromium().then((b) => (browser = b)),
    startHostSite(pages).then((s) => (site = s)),
  ])
  adminToken = session.token
  await new Promise((r) => setTimeout(r, Math.max(0, tokenAt + FORM_TOKEN_AGE_MS - Date.now())))
  // Sort seeds go one by one so that posting order is time order; the rest can go at once.
  sortSeeds = []
  for (const body of ['Ý kiến thứ nhất', 'Ý kiến thứ hai', 'Ý kiến thứ ba', 'Ý kiến thứ tư']) {
    sortSeeds.push(...(await seed(THREADS.sort, [body], formToken)))
  }
  const bodies = Array.from({ length: MORE_COMMENTS }, (_, i) => `Bình luận số ${i + 1}`)
  ;[moreSeeds] = await Promise.all([
    seed(THREADS.more, bodies, formToken),
    seed(THREADS.remove, ['Bài viết rất hữu ích.'], formToken),
    seed(THREADS.like, ['Đồng ý với tác giả.'], formToken),
    likeTimes(sortSeeds[1]!.comment.id, 3),
    likeTimes(sortSeeds[3]!.comment.id, 1),
  ])
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await server?.stop()
})

describe('comment actions in a real browser', () => {
  it('lets a reader delete their own comments, published or held, and edit one back into moderation: list, count and server agree', async () => {
    const ctx = await browser.newContext()
    const { page, errors, loadedAt } = await openThread(ctx, 'remove')
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.accept()
    })
    expect(await header(page).textContent()).toBe('1 bình luận')
    const publishedId = await post(page, 'Tôi sẽ xóa ý kiến này sau khi được duyệt.', loadedAt)
    const editedId = await post(page, 'Giá xăng tăng 500 đồng.', loadedAt)
    const heldId = await post(page, 'Ý kiến này bị xóa khi còn chờ duyệt.', loadedAt)
    await Promise.all([publishedId, editedId].map((id) => api('POST', `/api/admin/comments/${id}/approve`, { body: {}, admin: true })))
    await page.reload()
    await header(page).filter({ hasText: '3 bình luận' }).waitFor()
    expect(await item(page, 'còn chờ duyệt').locator('.pend').count()).toBe(1)
    expect(await thread(page).locator('ul.list > li.cm').count()).toBe(4)

    await item(page, '500 đồng').getByRole('button', { name: 'Sửa' }).click()
    const editing = thread(page).locator('ul.list form.cform')
    await editing.locator('textarea').fill('Giá xăng tăng 1.000 đồng, không phải 500.')
    const saved = answerTo(page, 'PATCH', `/api/comments/${editedId}`)
    await editing.getByRole('button', { name: 'Lưu' }).click()
    expect((await saved).status()).toBe(200)
    // Pre-moderation: the edited text waits for an editor again, so it no longer counts.
    await item(page, '1.000 đồng').locator('.pend').waitFor()
    await expect.poll(() => header(page).textContent(), SOON).toBe('2 bình luận')

    const held = answerTo(page, 'DELETE', `/api/comments/${heldId}`)
    await item(page, 'còn chờ duyệt').getByRole('button', { name: 'Xóa' }).click()
    expect((await held).status()).toBe(204)
    await item(page, 'còn chờ duyệt').waitFor({ state: 'detached' })
    // A held comment was never counted, so the count stays.
    expect(await header(page).textContent()).toBe('2 bình luận')

    const published = answerTo(page, 'DELETE', `/api/comments/${publishedId}`)
    await item(page, 'sau khi được duyệt').getByRole('button', { name: 'Xóa' }).click()
    expect((await published).status()).toBe(204)
    await item(page, 'sau khi được duyệt').waitFor({ state: 'detached' })
    await expect.poll(() => header(page).textContent(), SOON).toBe('1 bình luận')
    const left = ['Giá xăng tăng 1.000 đồng, không phải 500.', 'Bài viết rất hữu ích.']
    expect(await topBodies(page)).toEqual(left)
    expect(await thread(page).locator('[role=alert]').count()).toBe(0)
    expect(dialogs).toEqual(['Xóa bình luận này?', 'Xóa bình luận này?'])

    const reader = (await readerToken(page))!
    const [everyone, mine, stored] = await Promise.all([list(THREADS.remove), list(THREADS.remove, reader), adminList(THREADS.remove)])
    expect(everyone).toMatchObject({ total: 1, comments: [{ body: 'Bài viết rất hữu ích.' }] })
    expect(mine).toMatchObject({ total: 1, comments: [{ id: editedId, body: left[0], status: 'pending' }, { body: left[1] }] })
    expect(everyone.comments).toHaveLength(1)
    expect(mine.comments).toHaveLength(2)
    // Without replies to keep a placeholder for, deleted comments are gone from the database.
    expect(stored.comments).toMatchObject([
      { id: editedId, status: 'pending', body: left[0] },
      { status: 'approved', body: left[1] },
    ])
    expect(stored.comments).toHaveLength(2)
    await page.reload()
    await header(page).filter({ hasText: '1 bình luận' }).waitFor()
    expect(await topBodies(page)).toEqual(left)
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('lets a second reader like and then unlike a comment, and the server agrees each time', async () => {
    const ctx = await browser.newContext()
    const { page, errors } = await openThread(ctx, 'like')
    const like = item(page, 'Đồng ý với tác giả.').locator('button[aria-pressed]')
    // The widget may make the reader's token only at their first write, so it is read when asked.
    const mine = async () => (await list(THREADS.like, (await readerToken(page))!)).comments[0]!
    expect(await like.getAttribute('aria-pressed')).toBe('false')
    expect(await like.textContent()).not.toMatch(/\d/)

    const liked = answerTo(page, 'PUT', '/like')
    await like.click()
    expect((await liked).status()).toBe(200)
    await expect.poll(() => like.getAttribute('aria-pressed'), SOON).toBe('true')
    expect((await like.textContent())?.trim()).toMatch(/ 1$/)
    expect(await mine()).toMatchObject({ likes: 1, likedByMe: true })

    const unliked = answerTo(page, 'DELETE', '/like')
    await like.click()
    expect((await unliked).status()).toBe(200)
    await expect.poll(() => like.getAttribute('aria-pressed'), SOON).toBe('false')
    expect(await like.textContent()).not.toMatch(/\d/)
    expect(await mine()).toMatchObject({ likes: 0, likedByMe: false })
    expect((await list(THREADS.like)).comments[0]!.likes).toBe(0)

    await page.reload()
    await header(page).filter({ hasText: 'bình luận' }).waitFor()
    expect(await item(page, 'Đồng ý với tác giả.').locator('button[aria-pressed]').getAttribute('aria-pressed')).toBe('false')
    expect(await thread(page).locator('[role=alert]').count()).toBe(0)
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('reorders the list by newest, oldest and most liked when the reader switches the sort', async () => {
    const ctx = await browser.newContext()
    const { page, errors } = await openThread(ctx, 'sort')
    const [first, second, third, fourth] = sortSeeds.map((s) => s.comment.body)
    const sort = thread(page).locator('select')
    expect(await topBodies(page)).toEqual([fourth, third, second, first])
    await sort.selectOption('oldest')
    await expect.poll(() => topBodies(page), SOON).toEqual([first, second, third, fourth])
    // Likes 0, 3, 0, 1: most liked first, ties newest first.
    await sort.selectOption('top')
    await expect.poll(() => topBodies(page), SOON).toEqual([second, fourth, third, first])
    const likes = await thread(page).locator('ul.list > li.cm button[aria-pressed]').allTextContents()
    expect(likes.map((t) => /\d+/.exec(t)?.[0] ?? '0')).toEqual(['3', '1', '0', '0'])
    await sort.selectOption('newest')
    await expect.poll(() => topBodies(page), SOON).toEqual([fourth, third, second, first])
    expect(await header(page).textContent()).toBe('4 bình luận')
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('loads the rest of a long thread page by page, each comment once, and then hides "load more"', async () => {
    const ctx = await browser.newContext()
    const { page, errors } = await openThread(ctx, 'more')
    const items = thread(page).locator('ul.list > li.cm')
    const more = thread(page).getByRole('button', { name: 'Xem thêm bình luận' })
    expect(await items.count()).toBe(PAGE_SIZE)
    let clicks = 0
    while ((await more.count()) > 0) {
      const shown = await items.count()
      await more.click()
      await expect.poll(() => items.count(), SOON).toBeGreaterThan(shown)
      clicks++
    }
    expect(clicks).toBe(Math.ceil(MORE_COMMENTS / PAGE_SIZE) - 1)
    const newestFirst = [...moreSeeds]
      .sort((a, b) => b.comment.createdAt.localeCompare(a.comment.createdAt) || b.comment.id - a.comment.id)
      .map((s) => s.comment.body)
    expect(await topBodies(page)).toEqual(newestFirst)
    expect(await header(page).textContent()).toBe(`${MORE_COMMENTS} bình luận`)
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('shows a comment the reader has just posted once after loading the rest of the thread oldest first', async () => {
    const ctx = await browser.newContext()
    const { page, errors } = await openThread(ctx, 'more')
    const oldestFirst = [...moreSeeds]
      .sort((a, b) => a.comment.createdAt.localeCompare(b.comment.createdAt) || a.comment.id - b.comment.id)
      .map((s) => s.comment.body)
    await thread(page).locator('select').selectOption('oldest')
    await expect.poll(() => topBodies(page), SOON).toEqual(oldestFirst.slice(0, PAGE_SIZE))
    // Every list answer carries a fresh form token; the widget sends the last one.
    const id = await post(page, 'Tôi vừa viết bình luận này.', Date.now())
    await item(page, 'Tôi vừa viết').locator('.pend').waitFor()
    const more = thread(page).getByRole('button', { name: 'Xem thêm bình luận' })
    while ((await more.count()) > 0) {
      const shown = await thread(page).locator('ul.list > li.cm').count()
      await more.click()
      await expect.poll(() => thread(page).locator('ul.list > li.cm').count(), SOON).toBeGreaterThan(shown)
    }
    const bodies = await topBodies(page)
    expect(bodies.filter((b) => b === 'Tôi vừa viết bình luận này.')).toHaveLength(1)
    expect(bodies.filter((b) => b !== 'Tôi vừa viết bình luận này.')).toEqual(oldestFirst)
    const stored = await adminList(THREADS.more)
    expect(stored.comments.find((c) => c.id === id)?.status).toBe('pending')
    expect(errors).toEqual([])
    await ctx.close()
  })
})
