import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommentListResponse } from '../../server/types.ts'
import { launchChromium } from './chromium.ts'
import { hostPage, startHostSite, type HostSite } from './host-site.ts'
import { seriousAxeViolations, watchErrors } from './page-tools.ts'
import { startServer, type RunningServer } from './server.ts'

let server: RunningServer
let site: HostSite
let browser: Browser
let adminToken = ''

const THREAD = 'bai-gia-xang'
const XSS_THREAD = 'bai-xss'
const snippet = () => `<script src="${server.url}/embed.js" async></script>`

async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`)
  return (res.status === 204 ? null : await res.json()) as T
}

/** Approves every pending comment of a thread through the admin API; returns how many. */
async function approveAll(page: string): Promise<number> {
  const { comments } = await api<{ comments: { id: number }[] }>('GET', `/api/admin/comments?status=pending&page=${encodeURIComponent(page)}`)
  for (const c of comments) await api('POST', `/api/admin/comments/${c.id}/approve`, {})
  return comments.length
}

const thread = (page: Page) => page.locator('[data-voxpop-comments]')

/** Opens the article as a reader and waits until its comments have loaded. */
async function openArticle(context: BrowserContext, path = '/article') {
  const page = await context.newPage()
  const errors = watchErrors(page)
  await page.goto(site.url + path)
  await thread(page).scrollIntoViewIfNeeded()
  await thread(page).locator('h2.count').filter({ hasText: 'bình luận' }).waitFor()
  // The form token is issued with the list, which is only fetched once the thread is near view.
  return { page, errors, loadedAt: Date.now() }
}

/** Types and sends a comment like a reader, no sooner than the 3 s the spam filter expects. */
async function write(page: Page, form: ReturnType<Page['locator']>, body: string, loadedAt: number, name?: string) {
  await form.locator('textarea').fill(body)
  if (name !== undefined) await form.locator('input.name').fill(name)
  const wait = loadedAt + 3300 - Date.now()
  if (wait > 0) await page.waitForTimeout(wait)
  await form.locator('button[type=submit]').click()
}

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchChromium()])
  adminToken = (await api<{ token: string }>('POST', '/api/admin/session', { password: 'test-password-123' })).token
  site = await startHostSite({
    '/article': {
      body: hostPage(`<section><div data-voxpop-comments data-page="${THREAD}" data-title="Giá xăng tăng"></div></section>${snippet()}`),
    },
    '/xss': { body: hostPage(`<div data-voxpop-comments data-page="${XSS_THREAD}"></div>${snippet()}`) },
    '/listing': {
      body: hostPage(
        ['a', 'b', 'c'].map((k) => `<p><a href="/${k}">Bài ${k}</a> <span class="n" data-voxpop-count="list-${k}">?</span></p>`).join('') +
          `<p>Lặp lại: <span class="n" data-voxpop-count="list-a">?</span></p>${snippet()}`,
      ),
    },
  })
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await server?.stop()
})

describe('comments in a real browser', () => {
  it('lets a reader comment and reply on a hostile page, pending until an editor approves, then visible to others', async () => {
    const a = await browser.newContext()
    const reader = await openArticle(a)
    const form = thread(reader.page).locator('form.cform').first()
    await write(reader.page, form, 'Giá xăng tăng hoài, dân lao động khổ quá.', reader.loadedAt, 'Lan')
    const mine = thread(reader.page).locator('li.cm').filter({ hasText: 'Giá xăng tăng hoài' })
    await expect(mine.locator('.pend').textContent()).resolves.toBe('Đang chờ duyệt')
    await expect(form.locator('[role=status]').textContent()).resolves.toContain('đang chờ duyệt')

    const b = await browser.newContext()
    const other = await openArticle(b)
    expect(await thread(other.page).locator('li.cm').count()).toBe(0)
    expect(await thread(other.page).locator('.hint').filter({ hasText: 'Chưa có bình luận' }).count()).toBe(1)

    expect(await approveAll(THREAD)).toBe(1)
    await reader.page.reload()
    await thread(reader.page).locator('li.cm').first().waitFor()
    const reloadedAt = Date.now()
    const top = thread(reader.page).locator('li.cm').filter({ hasText: 'Giá xăng tăng hoài' }).first()
    expect(await top.locator('.pend').count()).toBe(0)
    await top.getByRole('button', { name: 'Trả lời' }).click()
    const replyForm = top.locator('form.cform')
    await write(reader.page, replyForm, 'Bổ sung: giá dầu cũng tăng.', reloadedAt)
    const reply = top.locator('.replies li.cm').filter({ hasText: 'Bổ sung' })
    await expect(reply.locator('.pend').textContent()).resolves.toBe('Đang chờ duyệt')

    await other.page.reload()
    const seen = thread(other.page).locator('li.cm').filter({ hasText: 'Giá xăng tăng hoài' })
    await seen.waitFor()
    expect(await seen.locator('header b').first().textContent()).toBe('Lan')
    expect(await thread(other.page).locator('.replies li.cm').count()).toBe(0)

    expect(await approveAll(THREAD)).toBe(1)
    await other.page.reload()
    await thread(other.page).locator('.replies li.cm').filter({ hasText: 'Bổ sung' }).waitFor()
    expect(await thread(other.page).locator('h2.count').textContent()).toBe('2 bình luận')

    expect(reader.errors).toEqual([])
    expect(other.errors).toEqual([])
    expect(await seriousAxeViolations(other.page)).toEqual([])
    await a.close()
    await b.close()
  })

  it('counts one like per reader and keeps it across reloads', async () => {
    const ctx = await browser.newContext()
    const { page } = await openArticle(ctx)
    const top = thread(page).locator('li.cm').filter({ hasText: 'Giá xăng tăng hoài' }).first()
    const like = top.locator('button[aria-pressed]').first()
    expect(await like.getAttribute('aria-pressed')).toBe('false')
    await like.click()
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true')
    expect(await like.textContent()).toContain('1')
    await page.reload()
    const again = thread(page).locator('li.cm').filter({ hasText: 'Giá xăng tăng hoài' }).first().locator('button[aria-pressed]').first()
    await again.waitFor()
    expect(await again.getAttribute('aria-pressed')).toBe('true')
    const list = await api<CommentListResponse>('GET', `/api/comments?page=${THREAD}&sort=top`)
    expect(list.comments[0]!.likes).toBe(1)
    await ctx.close()
  })

  it('lets the author edit their comment inside the edit window', async () => {
    const ctx = await browser.newContext()
    const { page, loadedAt } = await openArticle(ctx)
    const form = thread(page).locator('form.cform').first()
    await write(page, form, 'Viết nhầm chính tả', loadedAt)
    const mine = thread(page).locator('li.cm').filter({ hasText: 'Viết nhầm chính tả' })
    await mine.getByRole('button', { name: 'Sửa' }).click()
    // The comment's text is now inside the edit box, so find that box by where it sits.
    const editing = thread(page).locator('ul.list form.cform')
    expect(await editing.locator('textarea').inputValue()).toBe('Viết nhầm chính tả')
    await editing.locator('textarea').fill('Viết đúng chính tả')
    await editing.getByRole('button', { name: 'Lưu' }).click()
    await thread(page).locator('li.cm').filter({ hasText: 'Viết đúng chính tả' }).waitFor()
    const { comments } = await api<{ comments: { body: string; editedAt: string | null }[] }>('GET', `/api/admin/comments?status=all&page=${THREAD}`)
    const edited = comments.find((c) => c.body === 'Viết đúng chính tả')
    expect(edited?.editedAt).not.toBeNull()
    await ctx.close()
  })

  it('renders an XSS payload in a comment as literal text and runs nothing', async () => {
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=1</script>',
      '"><svg onload="window.__xss=1">',
      'javascript:window.__xss=1',
    ]
    const { formToken } = await api<CommentListResponse>('GET', `/api/comments?page=${XSS_THREAD}`)
    await new Promise((r) => setTimeout(r, 3200))
    for (const [i, body] of payloads.entries()) {
      await api('POST', '/api/comments', { page: XSS_THREAD, body, author: `<b onmouseover="window.__xss=1">${i}</b>`, formToken }, { 'X-Voxpop-Voter': `xssreader${i}`.padEnd(24, 'x') })
    }
    expect(await approveAll(XSS_THREAD)).toBe(payloads.length)
    const ctx = await browser.newContext()
    const { page, errors } = await openArticle(ctx, '/xss')
    let dialogs = 0
    page.on('dialog', (d) => {
      dialogs++
      void d.dismiss()
    })
    await thread(page).locator('li.cm').nth(payloads.length - 1).waitFor()
    const bodies = await thread(page).locator('li.cm p.body').allTextContents()
    expect(bodies.sort()).toEqual([...payloads].sort())
    expect(await thread(page).locator('li.cm img, li.cm script, li.cm svg').count()).toBe(0)
    expect(await thread(page).locator('a[href^="javascript:"]').count()).toBe(0)
    await thread(page).locator('li.cm header b').first().hover()
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(dialogs).toBe(0)
    expect(errors).toEqual([])
    await ctx.close()
  })

  it('fills every comment count on a listing page with one request', async () => {
    const { formToken } = await api<CommentListResponse>('GET', '/api/comments?page=list-a')
    await new Promise((r) => setTimeout(r, 3200))
    for (const [page, n] of [['list-a', 2], ['list-c', 1]] as const) {
      for (let i = 0; i < n; i++) {
        await api('POST', '/api/comments', { page, body: `Ý kiến ${page} số ${i}`, formToken }, { 'X-Voxpop-Voter': `lister${page}${i}`.padEnd(24, 'y') })
      }
      await approveAll(page)
    }
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    const countRequests: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/api/counts')) countRequests.push(r.url())
    })
    await page.goto(site.url + '/listing')
    await expect.poll(() => page.locator('span.n').allTextContents()).toEqual(['2', '0', '1', '2'])
    expect(countRequests).toHaveLength(1)
    await ctx.close()
  })
})
