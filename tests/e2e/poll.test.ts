import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdminPollView } from '../../server/types.ts'
import { launchChromium } from './chromium.ts'
import { hostPage, PAUSE, startHostSite, type HostSite } from './host-site.ts'
import { focusedElement, seriousAxeViolations, watchErrors, withoutFailedLoads } from './page-tools.ts'
import { startServer, type RunningServer } from './server.ts'

let server: RunningServer
/** A second voxpop server, stopped once it has started: where a dead API origin points. */
let stopped: RunningServer
let site: HostSite
let browser: Browser
let adminToken: string
/** Releases the rest of the /slow page; each test that loads it sets a new gate first. */
let slowGate: Promise<void> = Promise.resolve()
let fuel: AdminPollView
let transport: AdminPollView

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(adminToken ? { Authorization: `Bearer ${adminToken}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}

/** A tab of a reader's browser on the host site, with every console error and page error it shows. */
interface Tab {
  page: Page
  errors: string[]
}

async function open(context: BrowserContext, path: string, before?: (page: Page) => void): Promise<Tab> {
  const page = await context.newPage()
  before?.(page)
  const errors = watchErrors(page)
  await page.goto(site.url + path)
  return { page, errors }
}

const poll = (page: Page, id: string) => page.locator(`[data-voxpop-poll="${id}"]`)

/** Waits until the widget for `id` shows its results and returns them as the reader reads them. */
async function readResults(page: Page, id: string) {
  const box = poll(page, id)
  await box.locator('.results').waitFor({ state: 'visible' })
  const rows = await box.locator('.bars li').evaluateAll((lis) =>
    lis.map((li) => ({ text: li.textContent ?? '', mine: li.classList.contains('mine') })),
  )
  return { rows, total: (await box.locator('.total').textContent()) ?? '' }
}

const snippet = (attrs = 'async') => `<script src="${server.url}/embed.js" ${attrs}></script>`

beforeAll(async () => {
  ;[server, stopped, browser] = await Promise.all([startServer(), startServer(), launchChromium()])
  await stopped.stop()
  adminToken = (await admin<{ token: string }>('POST', '/api/admin/session', { password: 'test-password-123' })).token
  fuel = await admin<AdminPollView>('POST', '/api/admin/polls', {
    question: 'Giá xăng tăng ảnh hưởng thế nào đến chi tiêu của bạn?',
    options: ['Không đáng kể', 'Phải cắt giảm một số khoản', 'Ảnh hưởng rất nhiều'],
  })
  transport = await admin<AdminPollView>('POST', '/api/admin/polls', {
    question: 'Bạn đi làm bằng phương tiện gì?',
    options: ['Xe máy', 'Xe buýt', 'Ô tô', 'Đi bộ hoặc xe đạp'],
  })
  const two = `<div data-voxpop-poll="${fuel.id}"></div>\n<p>Đọc thêm: giá điện cũng sắp điều chỉnh.</p>\n<div data-voxpop-poll="${transport.id}"></div>`
  site = await startHostSite({
    '/article': { body: hostPage(`${snippet()}\n${two}`) },
    '/twice': { body: hostPage(`${snippet()}\n${two}\n${snippet()}`) },
    '/spa': { body: hostPage(snippet()) },
    '/slow': { body: hostPage(`${snippet()}\n${PAUSE}\n${two}`), resume: () => slowGate },
    '/deferred': { body: hostPage(`${snippet('defer')}\n${two}`) },
    '/csp': {
      body: hostPage(`${two}\n${snippet()}`, { css: 'link' }),
      headers: { 'Content-Security-Policy': `script-src ${server.url}; style-src 'self'` },
    },
    '/english': {
      // No host CSS here, and host elements that share the widget's class names: nothing may leak out.
      body: hostPage(`<div data-voxpop-poll="${transport.id}" data-lang="en"></div>\n<p class="hint">Chia sẻ bài viết</p><button class="btn">Chia sẻ</button>\n${snippet()}`, { css: 'none' }),
    },
    '/offline': { body: hostPage(`<div data-voxpop-poll="${fuel.id}"></div>\n${snippet(`async data-api="${stopped.url}"`)}`) },
    '/unknown': { body: hostPage(`<div data-voxpop-poll="khong-co-cuoc-tham-do-nay"></div>\n${snippet()}`) },
  })
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await server?.stop()
})

describe('a poll embedded in a hostile host page', () => {
  let reader: BrowserContext
  let secondReader: BrowserContext

  beforeAll(async () => {
    ;[reader, secondReader] = await Promise.all([browser.newContext(), browser.newContext()])
  })
  afterAll(async () => {
    await reader?.close()
    await secondReader?.close()
  })

  it('renders both polls with their own styles despite the host CSS, with no serious axe issues', async () => {
    const { page, errors } = await open(reader, '/article')
    for (const p of [fuel, transport]) {
      const box = poll(page, p.id)
      const legend = box.locator('fieldset > legend')
      await legend.waitFor({ state: 'visible' })
      expect(await legend.textContent()).toBe(p.question)
      expect(await box.locator('form fieldset input[type="radio"]').count()).toBe(p.options.length)
      for (const o of p.options) await box.getByRole('radio', { name: o.label }).waitFor({ state: 'visible' })
      await box.getByRole('button', { name: 'Bình chọn' }).waitFor({ state: 'visible' })
    }
    const look = await poll(page, fuel.id).evaluate((host) => {
      const root = host.shadowRoot!
      const style = (sel: string) => getComputedStyle(root.querySelector(sel)!)
      return {
        mode: root.mode,
        boxColor: style('.vx').color,
        boxBackground: style('.vx').backgroundColor,
        buttonDisplay: style('button').display,
        buttonBackground: style('button').backgroundColor,
        height: host.getBoundingClientRect().height,
      }
    })
    expect(look.mode).toBe('open')
    expect(look.boxColor).not.toBe('rgb(255, 255, 255)')
    expect(look.boxBackground).not.toBe('rgba(0, 0, 0, 0)')
    expect(look.boxBackground).not.toBe(look.boxColor)
    expect(look.buttonDisplay).not.toBe('none')
    expect(look.buttonBackground).not.toBe('rgba(0, 0, 0, 0)')
    expect(look.height).toBeGreaterThan(150)
    // With a choice made, the vote button is enabled and so counts for colour contrast too.
    await poll(page, transport.id).getByRole('radio', { name: transport.options[0]!.label }).check()
    expect(await seriousAxeViolations(page)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  it('lets a reader vote with the keyboard alone and shows the results', async () => {
    const { page, errors } = await open(reader, '/article')
    await poll(page, fuel.id).locator('input[type="radio"]').first().waitFor()
    await poll(page, transport.id).locator('input[type="radio"]').first().waitFor()

    let target = await focusedElement(page)
    for (let i = 0; i < 20 && !(target.poll === fuel.id && target.type === 'radio'); i++) {
      await page.keyboard.press('Tab')
      target = await focusedElement(page)
    }
    expect(target).toMatchObject({ tag: 'input', type: 'radio', poll: fuel.id })
    // Arrow keys move through a radio group and pick the option they land on; Space confirms it.
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Space')
    const chosen = fuel.options[1]!
    expect(await poll(page, fuel.id).getByRole('radio', { name: chosen.label }).isChecked()).toBe(true)
    await page.keyboard.press('Tab')
    expect(await focusedElement(page)).toMatchObject({ tag: 'button', text: 'Bình chọn', poll: fuel.id })
    await page.evaluate(() => Object.assign(window, { sameDocument: true }))
    await page.keyboard.press('Enter')

    const { rows, total } = await readResults(page, fuel.id)
    expect(rows).toHaveLength(3)
    expect(rows.filter((r) => r.mine)).toHaveLength(1)
    expect(rows[1]).toMatchObject({ mine: true })
    expect(rows[1]!.text).toContain(chosen.label)
    expect(rows[1]!.text).toContain('Lựa chọn của bạn')
    expect(rows[1]!.text).toContain('100%')
    expect(rows[1]!.text).toContain('1 phiếu')
    expect(rows[0]!.text).toContain('0%')
    expect(rows[0]!.text).toContain('0 phiếu')
    expect(total).toBe('Tổng cộng 1 người đã bình chọn')
    // The vote went through fetch: the form did not also submit and navigate the host page.
    expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true)
    expect(page.url()).toBe(`${site.url}/article`)
    expect(await poll(page, fuel.id).locator('[role="status"][aria-live="polite"]').textContent()).toBe('Cảm ơn bạn đã bình chọn!')
    // The vote button is gone; keyboard focus stays in this poll instead of falling to <body>.
    await expect.poll(async () => (await focusedElement(page)).poll).toBe(fuel.id)
    // The other poll on the page is untouched: still a form.
    expect(await poll(page, transport.id).locator('input[type="radio"]').count()).toBe(4)
    expect(await seriousAxeViolations(page)).toEqual([])

    await page.reload()
    const again = await readResults(page, fuel.id)
    expect(again.rows[1]).toMatchObject({ mine: true })
    expect(again.total).toBe('Tổng cộng 1 người đã bình chọn')
    expect(await poll(page, fuel.id).locator('input').count()).toBe(0)
    expect(await poll(page, fuel.id).locator('button').count()).toBe(0)
    await poll(page, transport.id).locator('input[type="radio"]').first().waitFor()
    expect(errors).toEqual([])
    await page.close()
  })

  it('counts a second reader in a new browser context, and both readers see the same totals', async () => {
    const second = await open(secondReader, '/article')
    const box = poll(second.page, fuel.id)
    // A new reader gets the form, not the first reader's results.
    await box.getByRole('radio', { name: fuel.options[2]!.label }).check()
    await box.getByRole('button', { name: 'Bình chọn' }).click()
    const mine = await readResults(second.page, fuel.id)
    expect(mine.rows.findIndex((r) => r.mine)).toBe(2)

    const first = await open(reader, '/article')
    await second.page.reload()
    const views = [await readResults(first.page, fuel.id), await readResults(second.page, fuel.id)]
    for (const view of views) {
      expect(view.total).toBe('Tổng cộng 2 người đã bình chọn')
      expect(view.rows.map((r) => /(\d+)%/.exec(r.text)![1])).toEqual(['0', '50', '50'])
      expect(view.rows.map((r) => /· (\d+) phiếu/.exec(r.text)![1])).toEqual(['0', '1', '1'])
    }
    expect(views[0]!.rows.findIndex((r) => r.mine)).toBe(1)
    expect(views[1]!.rows.findIndex((r) => r.mine)).toBe(2)

    const stored = await admin<AdminPollView>('GET', `/api/admin/polls/${fuel.id}`)
    expect(stored.results.totalVoters).toBe(2)
    expect(stored.results.totalVotes).toBe(2)
    expect(stored.results.options.map((o) => [o.votes, o.percent])).toEqual([
      [0, 0],
      [1, 50],
      [1, 50],
    ])
    expect(first.errors).toEqual([])
    expect(second.errors).toEqual([])
  })
})

describe('loading the embed script', () => {
  let context: BrowserContext
  beforeAll(async () => {
    context = await browser.newContext()
  })
  afterAll(async () => {
    await context?.close()
  })

  it('mounts each container once when the script is included twice', async () => {
    const apiCalls: string[] = []
    const { page, errors } = await open(context, '/twice', (p) =>
      p.on('request', (r) => {
        if (r.url().includes('/api/polls/')) apiCalls.push(r.url())
      }),
    )
    await poll(page, transport.id).locator('legend').waitFor()
    await poll(page, fuel.id).locator('legend').waitFor()
    expect(await page.locator('script[src$="/embed.js"]').count()).toBe(2)
    expect(await poll(page, fuel.id).locator('legend').count()).toBe(1)
    expect(await poll(page, transport.id).locator('legend').count()).toBe(1)
    expect(await page.evaluate(() => (window as unknown as { voxpop: { scan: () => Promise<number> } }).voxpop.scan())).toBe(0)
    expect(apiCalls.sort()).toEqual([`${server.url}/api/polls/${fuel.id}`, `${server.url}/api/polls/${transport.id}`].sort())
    expect(errors).toEqual([])
  })

  it('mounts a container added after load when the page calls window.voxpop.scan()', async () => {
    const { page, errors } = await open(context, '/spa')
    await page.waitForFunction(() => 'voxpop' in window)
    const mounted = await page.evaluate(async (id) => {
      const div = document.createElement('div')
      div.dataset.voxpopPoll = id
      document.querySelector('main')!.append(div)
      const scan = (window as unknown as { voxpop: { scan: () => Promise<number> } }).voxpop.scan
      return [await scan(), await scan()]
    }, transport.id)
    expect(mounted).toEqual([1, 0])
    await poll(page, transport.id).getByRole('radio', { name: 'Xe buýt' }).waitFor({ state: 'visible' })
    expect(errors).toEqual([])
  })

  it('mounts containers that arrive after an async script has already run', async () => {
    let resume!: () => void
    slowGate = new Promise((done) => (resume = done))
    const page = await context.newPage()
    const errors = watchErrors(page)
    const loaded = page.goto(`${site.url}/slow`)
    await page.waitForFunction(() => 'voxpop' in window)
    expect(await page.evaluate(() => document.querySelectorAll('[data-voxpop-poll]').length)).toBe(0)
    resume()
    await loaded
    await poll(page, fuel.id).locator('legend').waitFor({ state: 'visible' })
    await poll(page, transport.id).locator('legend').waitFor({ state: 'visible' })
    expect(errors).toEqual([])
  })

  it('works when loaded with defer before the containers exist', async () => {
    const { page, errors } = await open(context, '/deferred')
    await poll(page, transport.id).getByRole('radio', { name: 'Ô tô' }).waitFor({ state: 'visible' })
    await poll(page, fuel.id).locator('legend').waitFor({ state: 'visible' })
    expect(errors).toEqual([])
  })

  it('renders styled under a strict host CSP without any CSP violation', async () => {
    const violations: string[] = []
    const { page, errors } = await open(context, '/csp', (p) =>
      p.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
      }),
    )
    const button = poll(page, transport.id).getByRole('button', { name: 'Bình chọn' })
    await button.waitFor({ state: 'visible' })
    const look = await button.evaluate((b) => ({ background: getComputedStyle(b).backgroundColor, radius: getComputedStyle(b).borderTopLeftRadius }))
    expect(look.background).not.toBe('rgba(0, 0, 0, 0)')
    expect(look.radius).not.toBe('0px')
    // The host page's own stylesheet did load, so the widget really faced it.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('h1')!).display)).toBe('inline')
    expect(violations).toEqual([])
    expect(errors).toEqual([])
  })

  it('speaks English when the container asks for it, and its CSS does not leak into the host page', async () => {
    const { page, errors } = await open(context, '/english')
    const box = poll(page, transport.id)
    await box.getByRole('button', { name: 'Vote' }).waitFor({ state: 'visible' })
    expect(await box.getByText('Choose one option').count()).toBe(1)
    expect(await box.locator('.vx').getAttribute('lang')).toBe('en')
    const host = await page.evaluate(() => {
      const hint = getComputedStyle(document.querySelector('main > p.hint')!)
      const btn = getComputedStyle(document.querySelector('main > button.btn')!)
      return { hintSize: hint.fontSize, buttonBackground: btn.backgroundColor, buttonRadius: btn.borderTopLeftRadius }
    })
    const widget = await box.getByRole('button', { name: 'Vote' }).evaluate((b) => getComputedStyle(b).backgroundColor)
    expect(host.buttonBackground).not.toBe(widget)
    expect(host.buttonRadius).not.toBe('8px')
    expect(host.hintSize).toBe('16px')
    expect(errors).toEqual([])
  })
})

describe('when something goes wrong', () => {
  let context: BrowserContext
  beforeAll(async () => {
    context = await browser.newContext()
  })
  afterAll(async () => {
    await context?.close()
  })

  it('shows the translated not-found message for an unknown poll id', async () => {
    const { page, errors } = await open(context, '/unknown')
    const alert = poll(page, 'khong-co-cuoc-tham-do-nay').getByRole('alert')
    await alert.waitFor({ state: 'visible' })
    expect(await alert.textContent()).toBe('Không tìm thấy cuộc thăm dò này.')
    expect(withoutFailedLoads(errors)).toEqual([])
  })

  it('shows the network error message, not a blank box, when the API server is down', async () => {
    const { page, errors } = await open(context, '/offline')
    const box = poll(page, fuel.id)
    const alert = box.getByRole('alert')
    await alert.waitFor({ state: 'visible' })
    expect(await alert.textContent()).toBe('Không kết nối được với máy chủ. Vui lòng kiểm tra mạng và thử lại.')
    await box.getByRole('button', { name: 'Thử lại' }).waitFor({ state: 'visible' })
    expect(withoutFailedLoads(errors)).toEqual([])
  })
})
