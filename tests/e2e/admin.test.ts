import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommentListResponse, CommentPostResponse } from '../../server/types.ts'
import { launchChromium } from './chromium.ts'
import { startServer, type RunningServer } from './server.ts'

const PASSWORD = 'test-password-123'
const ARTICLE = 'bai-viet-xe-may-noi-do'
const ARTICLE_TITLE = 'Hà Nội cân nhắc hạn chế xe máy trong nội đô'

let server: RunningServer
let browser: Browser
let host: { url: string; server: Server; snippet: string }

/** The news site, on its own origin: an article page carrying whatever poll snippet the editor pasted. */
function startHost(): Promise<typeof host> {
  const site = {
    snippet: '',
    server: createServer((req, res) => {
      if (req.url !== '/bai-viet') return void res.writeHead(404).end()
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${ARTICLE_TITLE}</title></head>
<body><h1>${ARTICLE_TITLE}</h1><p>Nội dung bài báo…</p>
${site.snippet}
<section><h2>Ý kiến bạn đọc</h2><div data-voxpop-comments data-page="${ARTICLE}" data-title="${ARTICLE_TITLE}"></div></section>
</body></html>`)
    }),
    url: '',
  }
  return new Promise((resolve) => {
    site.server.listen(0, '127.0.0.1', () => {
      site.url = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`
      resolve(site)
    })
  })
}

/** A reader's request to the public comments API. */
async function publicApi<T>(method: string, path: string, voter: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'X-Voxpop-Voter': voter, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as T }
}

async function signIn(page: Page) {
  await page.goto(`${server.url}/admin`)
  await page.getByLabel('Mật khẩu').fill(PASSWORD)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.getByRole('heading', { name: 'Tổng quan' }).waitFor()
}

/** The number shown on a stat card with this label. */
const statValue = (page: Page, label: string) =>
  page.locator('.stat', { has: page.locator('.stat-label', { hasText: label }) }).locator('.stat-value')

beforeAll(async () => {
  if (!existsSync('dist/admin/index.html')) {
    throw new Error('dist/admin/index.html is missing: run `npm run build` (npm test does) before the browser tests')
  }
  ;[server, browser, host] = await Promise.all([startServer(), launchChromium(), startHost()])
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await new Promise((resolve) => host?.server.close(resolve))
})

describe('the admin console at /admin', () => {
  it('creates a poll whose copied snippet works on a host page, shows the vote, moderates comments and downloads an export', async () => {
    // Form tokens are only trusted 3 s after they were issued: take them now, use them later.
    const voterA = 'reader-A-' + 'a'.repeat(22)
    const voterB = 'reader-B-' + 'b'.repeat(22)
    const tokens = await Promise.all(
      [voterA, voterB].map(async (voter) => (await publicApi<CommentListResponse>('GET', `/api/comments?page=${ARTICLE}`, voter)).body.formToken),
    )
    const tokensIssued = Date.now()

    const editor: BrowserContext = await browser.newContext({ acceptDownloads: true, locale: 'vi-VN' })
    await editor.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    const page = await editor.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await signIn(page)

    // Create a poll through the form.
    await page.getByRole('link', { name: 'Thăm dò', exact: true }).click()
    await page.getByRole('link', { name: 'Tạo thăm dò mới' }).click()
    await page.getByLabel('Câu hỏi').fill('Bạn có ủng hộ hạn chế xe máy trong nội đô?')
    await page.getByPlaceholder('Phương án 1').fill('Ủng hộ')
    await page.getByPlaceholder('Phương án 2').fill('Phản đối')
    await page.getByRole('button', { name: /Thêm phương án/ }).click()
    await page.getByPlaceholder('Phương án 3').fill('Chưa rõ')
    await page.getByRole('button', { name: 'Đưa lên: Phương án 3' }).click()
    await page.getByLabel('Thời điểm đóng').fill('2099-12-31T23:30')
    await page.getByLabel('Hiển thị kết quả cho bạn đọc').selectOption('always')
    await page.getByRole('button', { name: 'Tạo thăm dò' }).click()
    await page.getByRole('heading', { name: 'Bạn có ủng hộ hạn chế xe máy trong nội đô?' }).waitFor()
    const pollId = (await page.locator('.poll-detail').getAttribute('data-poll-id'))!
    expect(pollId).toMatch(/^[\w-]+$/)
    // 23:30 on the wall clock of Asia/Ho_Chi_Minh (UTC+7) is 16:30 UTC.
    const stored = (await (await fetch(`${server.url}/api/polls/${pollId}`)).json()) as { closesAt: string; options: { label: string }[] }
    expect(stored.closesAt).toBe('2099-12-31T16:30:00.000Z')
    expect(stored.options.map((o) => o.label)).toEqual(['Ủng hộ', 'Chưa rõ', 'Phản đối'])

    // Copy the embed snippet with the button and paste it into the host's article page.
    await page.getByRole('button', { name: 'Sao chép' }).click()
    await page.getByText('Đã sao chép!').waitFor()
    host.snippet = await page.evaluate(() => navigator.clipboard.readText())
    expect(host.snippet).toBe(`<script src="${server.url}/embed.js" async></script>\n<div data-voxpop-poll="${pollId}"></div>`)

    // A reader votes on the host page, in a browser of their own.
    const reader = await browser.newContext()
    const article = await reader.newPage()
    await article.goto(`${host.url}/bai-viet`)
    const widget = article.locator(`[data-voxpop-poll="${pollId}"]`)
    await widget.getByLabel('Chưa rõ').check()
    await widget.getByRole('button', { name: 'Bình chọn' }).click()
    await widget.getByText(/Cảm ơn/).waitFor()

    // The console shows it within a refresh or two, without a reload.
    await expect.poll(() => statValue(page, 'Người bình chọn').textContent(), { timeout: 15_000 }).toBe('1')
    await expect
      .poll(() => page.locator('.result', { hasText: 'Chưa rõ' }).locator('[data-testid="votes"]').textContent(), { timeout: 10_000 })
      .toBe('1')

    // Download the ballots as CSV.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Tải từng phiếu bầu/ }).click()])
    expect(download.suggestedFilename()).toMatch(/^bạn-có-ủng-hộ-hạn-chế-xe-máy-trong-nội-đô-votes-\d{4}-\d{2}-\d{2}\.csv$/)
    const csv = readFileSync((await download.path())!)
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = csv.toString('utf8').slice(1).split('\r\n')
    expect(lines[0]).toBe('vote_id,created_at_utc,created_at_local (Asia/Ho_Chi_Minh),options,status,voter_hash,ip_hash')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(/^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,Chưa rõ,counted,/)

    // Two readers comment; pre-moderation holds both.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3_300 - (Date.now() - tokensIssued))))
    const bodies = ['Nên làm từng bước, "trước hết" là tăng xe buýt.', 'Bình luận thứ hai, sẽ bị từ chối rồi khôi phục.']
    for (const [i, voter] of [voterA, voterB].entries()) {
      const posted = await publicApi<CommentPostResponse>('POST', '/api/comments', voter, {
        page: ARTICLE,
        title: ARTICLE_TITLE,
        url: `${host.url}/bai-viet`,
        author: i === 0 ? 'Trần Thị Bình' : 'Lê Văn Cường',
        body: bodies[i],
        formToken: tokens[i],
      })
      expect(posted.status).toBe(201)
      expect(posted.body.status).toBe('pending')
    }

    await page.getByRole('link', { name: 'Kiểm duyệt' }).click()
    const cardA = page.locator('.comment-card', { hasText: bodies[0]! })
    const cardB = page.locator('.comment-card', { hasText: bodies[1]! })
    await cardA.waitFor()
    await expect.poll(() => cardA.locator('.comment-page a').textContent()).toBe(ARTICLE_TITLE)
    await expect.poll(() => cardA.locator('.comment-body').textContent()).toBe(bodies[0])
    // The article picker offers the article by its title with its two pending comments; picking it filters.
    const picker = page.locator('select[name="page"]')
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(['Mọi bài viết', `${ARTICLE_TITLE} (2)`])
    await picker.selectOption({ label: `${ARTICLE_TITLE} (2)` })
    expect(await picker.inputValue()).toBe(ARTICLE)
    await page.getByRole('button', { name: 'Bỏ lọc bài viết' }).click()
    expect(await picker.inputValue()).toBe('')
    await cardA.getByRole('button', { name: 'Duyệt' }).click()
    await cardA.waitFor({ state: 'detached' })

    // Keyboard: B is now the first (active) card; R rejects it.
    await cardB.waitFor()
    await page.keyboard.press('r')
    await cardB.waitFor({ state: 'detached' })
    await page.getByText('Tuyệt vời! Không còn bình luận nào chờ duyệt.').waitFor()

    // A rejected comment can be restored.
    await page.getByLabel('Trạng thái').selectOption('rejected')
    await cardB.getByRole('button', { name: 'Khôi phục' }).click()
    await cardB.waitFor({ state: 'detached' })

    // Both are published now: the API lists them, and the article page shows the approved one.
    const list = await publicApi<CommentListResponse>('GET', `/api/comments?page=${ARTICLE}`, 'another-reader-' + 'c'.repeat(22))
    expect(list.body.comments.map((c) => c.body).sort()).toEqual([...bodies].sort())
    await article.reload()
    await article.locator('[data-voxpop-comments]').getByText(bodies[0]!).waitFor({ timeout: 15_000 })

    expect(pageErrors).toEqual([])
    await reader.close()
    await editor.close()
  })

  it('sends the editor back to sign-in when the session has expired, and signs out', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page)
    // A token the server no longer knows, as after its 12 hours or a restart with a new database.
    await page.evaluate(() =>
      sessionStorage.setItem('voxpop:admin-session', JSON.stringify({ token: 'x'.repeat(43), expiresAt: '2099-01-01T00:00:00.000Z' })),
    )
    await page.reload()
    await page.getByText('Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.').waitFor()
    await page.getByLabel('Mật khẩu').fill('sai mật khẩu')
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.getByText('Mật khẩu không đúng.').waitFor()
    await page.getByLabel('Mật khẩu').fill(PASSWORD)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.getByRole('heading', { name: 'Tổng quan' }).waitFor()
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You have signed out.').waitFor()
    expect(await page.evaluate(() => sessionStorage.getItem('voxpop:admin-session'))).toBeNull()
    await context.close()
  })

  it('explains how to enable the console when no admin password is set', async () => {
    const locked = await startServer({ VOXPOP_ADMIN_PASSWORD: undefined } as unknown as Record<string, string>)
    try {
      const page = await browser.newPage()
      await page.goto(`${locked.url}/admin/`)
      await page.getByRole('heading', { name: 'Trang quản trị đang tắt' }).waitFor()
      expect(await page.locator('pre').textContent()).toContain('VOXPOP_ADMIN_PASSWORD')
      await page.close()
    } finally {
      await locked.stop()
    }
  })
})
