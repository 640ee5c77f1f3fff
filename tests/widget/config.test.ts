import { describe, expect, it } from 'vitest'
import { resolveConfig, type ScriptInfo } from '../../widget/src/config.ts'

const SRC = 'https://polls.example.com/embed.js'
const script = (extra: Partial<ScriptInfo> = {}): ScriptInfo => ({ src: SRC, ...extra })
const dataset = (values: Record<string, string> = {}) => values as DOMStringMap

describe('resolveConfig: API origin', () => {
  it('defaults the API to the origin the script was loaded from', () => {
    expect(resolveConfig(script(), dataset(), null).api).toBe('https://polls.example.com')
  })

  it('keeps a non-default port and drops the script path and query', () => {
    const config = resolveConfig({ src: 'http://127.0.0.1:8787/static/embed.js?v=3' }, dataset(), null)
    expect(config.api).toBe('http://127.0.0.1:8787')
  })

  it('uses data-api on the script tag instead of the script origin', () => {
    expect(resolveConfig(script({ api: 'https://api.example.net' }), dataset(), null).api).toBe('https://api.example.net')
  })

  it('drops trailing slashes from data-api so paths join cleanly', () => {
    expect(resolveConfig(script({ api: 'https://api.example.net/voxpop//' }), dataset(), null).api).toBe('https://api.example.net/voxpop')
  })
})

describe('resolveConfig: language', () => {
  it('defaults to Vietnamese when nothing says otherwise', () => {
    expect(resolveConfig(script(), dataset(), null).lang).toBe('vi')
    expect(resolveConfig(script(), dataset(), '').lang).toBe('vi')
  })

  it('follows the host page <html lang>', () => {
    expect(resolveConfig(script(), dataset(), 'en').lang).toBe('en')
    expect(resolveConfig(script(), dataset(), 'vi-VN').lang).toBe('vi')
  })

  it('prefers data-lang on the script tag over the page language', () => {
    expect(resolveConfig(script({ lang: 'en' }), dataset(), 'vi').lang).toBe('en')
    expect(resolveConfig(script({ lang: 'vi' }), dataset(), 'en').lang).toBe('vi')
  })

  it('prefers data-lang on the container over the script tag and the page', () => {
    expect(resolveConfig(script({ lang: 'vi' }), dataset({ lang: 'en' }), 'vi').lang).toBe('en')
    expect(resolveConfig(script({ lang: 'en' }), dataset({ lang: 'vi' }), 'en').lang).toBe('vi')
  })

  it('reduces a region tag such as en-US or EN-gb to its language', () => {
    expect(resolveConfig(script(), dataset({ lang: 'en-US' }), null).lang).toBe('en')
    expect(resolveConfig(script({ lang: 'EN-gb' }), dataset(), null).lang).toBe('en')
    expect(resolveConfig(script(), dataset(), ' en-AU ').lang).toBe('en')
  })

  it('falls back to Vietnamese for a language it does not speak', () => {
    expect(resolveConfig(script(), dataset(), 'fr').lang).toBe('vi')
    expect(resolveConfig(script({ lang: 'de' }), dataset(), null).lang).toBe('vi')
    expect(resolveConfig(script(), dataset({ lang: 'ja-JP' }), null).lang).toBe('vi')
  })
})

describe('resolveConfig: theme', () => {
  it('defaults to auto (follow prefers-color-scheme)', () => {
    expect(resolveConfig(script(), dataset(), null).theme).toBe('auto')
  })

  it('accepts light and dark from the container or the script tag, container first', () => {
    expect(resolveConfig(script({ theme: 'dark' }), dataset(), null).theme).toBe('dark')
    expect(resolveConfig(script(), dataset({ theme: 'light' }), null).theme).toBe('light')
    expect(resolveConfig(script({ theme: 'dark' }), dataset({ theme: 'light' }), null).theme).toBe('light')
    expect(resolveConfig(script({ theme: 'light' }), dataset({ theme: 'auto' }), null).theme).toBe('auto')
  })

  it('treats an unknown theme as auto', () => {
    expect(resolveConfig(script({ theme: 'neon' }), dataset(), null).theme).toBe('auto')
  })
})
