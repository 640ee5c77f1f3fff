import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { trimPreact } from '../../widget/build/slim-preact.ts'

type Preact = typeof import('preact')

const source = readFileSync('node_modules/preact/dist/preact.mjs', 'utf8')
const trimmed = trimPreact(source)

/** The trimmed Preact as the widget build ships it, loaded as its own module. */
async function loadTrimmed(): Promise<Preact> {
  const dir = resolve('node_modules/.cache/voxpop')
  mkdirSync(dir, { recursive: true })
  writeFileSync(`${dir}/slim-preact.mjs`, trimmed)
  return (await import(/* @vite-ignore */ `${dir}/slim-preact.mjs`)) as Preact
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('the trimmed Preact of the widget build', () => {
  it('applies to the installed Preact and drops HTML injection, hydration and suspense', () => {
    expect(trimmed.length).toBeLessThan(source.length * 0.8)
    expect(trimmed).not.toContain('innerHTML')
    expect(trimmed).not.toContain('dangerouslySetInnerHTML')
    expect(trimmed).not.toContain('$s')
    expect(trimmed).not.toContain('getDerivedStateFromProps')
  })

  it('mounts, re-renders on setState, reorders keyed items, calls refs and lifecycles and unmounts like the stock Preact', async () => {
    const stock = await scenario(await import('preact'))
    expect(stock).toContain('unmount b')
    expect(await scenario(await loadTrimmed())).toEqual(stock)
  })
})

/** Drives one class component tree through the widget's kinds of updates; returns what it saw. */
async function scenario({ h, render, Component }: Preact): Promise<string[]> {
  const log: string[] = []
  const seen = (box: HTMLElement) => log.push(box.innerHTML)
  class Item extends Component<{ id: string }> {
    override componentDidMount() {
      log.push(`mount ${this.props.id}`)
    }
    override componentWillUnmount() {
      log.push(`unmount ${this.props.id}`)
    }
    override render({ id }: { id: string }) {
      return h('li', { id, style: 'width:50%' }, id)
    }
  }
  let list: List | undefined
  class List extends Component<object, { ids: string[]; clicks: number }> {
    override state = { ids: ['a', 'b', 'c'], clicks: 0 }
    override componentDidMount() {
      list = this
    }
    override componentDidUpdate(_: object, prev: { clicks: number }) {
      log.push(`update ${prev.clicks} to ${this.state.clicks}`)
    }
    override render(_: object, { ids, clicks }: { ids: string[]; clicks: number }) {
      return h(
        'div',
        null,
        h('button', { type: 'button', 'aria-pressed': clicks > 0, onClick: () => this.setState((s) => ({ clicks: s.clicks + 1 })) }, `clicked ${clicks}`),
        clicks > 0 && h('p', { role: 'status' }, 'thanks'),
        h('ul', { ref: (el: HTMLUListElement | null) => void log.push(`ref ${el?.tagName}`) }, ids.map((id) => h(Item, { key: id, id }))),
      )
    }
  }
  const box = document.createElement('div')
  document.body.append(box)
  render(h(List, null), box)
  const a = box.querySelector('#a')
  seen(box)
  box.querySelector('button')!.click()
  await tick()
  seen(box)
  list!.setState({ ids: ['c', 'a', 'd'] })
  await tick()
  seen(box)
  log.push(`same node: ${box.querySelector('#a') === a}`)
  render(null, box)
  seen(box)
  box.remove()
  return log
}
