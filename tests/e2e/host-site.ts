import { createServer, type OutgoingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Where `hostPage` content may stop streaming until the page's `resume` resolves. */
export const PAUSE = '<!--pause-->'

/**
 * A page the host site answers with, and any extra response headers (e.g. a CSP). With `resume`,
 * the body is sent up to `PAUSE`, the rest once `resume()` resolves: a slow page still loading.
 */
export interface HostPage {
  body: string
  headers?: OutgoingHttpHeaders
  resume?: () => Promise<void>
}

/** A news site on its own origin that embeds the widget, as a site owner would. */
export interface HostSite {
  url: string
  close: () => Promise<void>
}

/**
 * Global CSS a careless or hostile host page may carry; none of it may reach into the widget.
 * Served both as /hostile.css (for pages under a strict CSP) and inlined by `hostPage`.
 */
export const HOSTILE_CSS = [
  '* { all: unset !important }',
  'button { display: none !important }',
  'div { color: white; background: white }',
  'fieldset, legend, label, input { display: none !important }',
].join('\n')

/** Starts a tiny HTTP server on a free port of 127.0.0.1 that serves `pages` by path. */
export function startHostSite(pages: Record<string, HostPage>): Promise<HostSite> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname
    if (path === '/hostile.css') {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' }).end(HOSTILE_CSS)
      return
    }
    const page = pages[path]
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...page.headers })
    const [first, rest] = page.body.split(PAUSE)
    if (rest === undefined || !page.resume) return void res.end(page.body)
    res.write(first)
    await page.resume()
    res.end(rest)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

/**
 * A Vietnamese article page around `content` (the embed snippet and containers). The hostile CSS
 * goes into an inline `<style>`, or a `<link>` to /hostile.css where a CSP forbids inline styles.
 */
export function hostPage(content: string, opts: { css?: 'inline' | 'link' | 'none'; head?: string } = {}): string {
  const css = opts.css ?? 'inline'
  const style =
    css === 'inline' ? `<style>\n${HOSTILE_CSS}\n</style>` : css === 'link' ? '<link rel="stylesheet" href="/hostile.css">' : ''
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Báo Thử Nghiệm – Giá xăng tăng lần thứ ba</title>
${style}
${opts.head ?? ''}
</head>
<body>
<header><a href="#bai-viet">Báo Thử Nghiệm</a></header>
<main id="bai-viet">
<h1>Giá xăng tăng lần thứ ba liên tiếp</h1>
<p>Từ 15 giờ chiều nay, giá xăng trong nước tiếp tục tăng, khiến nhiều người đi làm bằng xe máy phải tính lại chi tiêu hằng tháng.</p>
${content}
</main>
</body>
</html>`
}
