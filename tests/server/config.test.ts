import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../server/config.ts'

describe('configuration from the environment', () => {
  it('defaults to Vietnam’s time zone and a local database', () => {
    const config = loadConfig({})
    expect(config.timezone).toBe('Asia/Ho_Chi_Minh')
    expect(config.dbPath).toBe('./data/voxpop.sqlite')
    expect(config.host).toBe('127.0.0.1')
    expect(config.moderation).toBe('pre')
  })

  it('takes any IANA time zone and refuses a name that is not one', () => {
    expect(loadConfig({ VOXPOP_TIMEZONE: ' Europe/Berlin ' }).timezone).toBe('Europe/Berlin')
    expect(loadConfig({ VOXPOP_TIMEZONE: 'America/Argentina/Buenos_Aires' }).timezone).toBe('America/Argentina/Buenos_Aires')
    for (const bad of ['Asia/Hanoi_City', 'Mars/Olympus', 'GMT+25']) {
      expect(() => loadConfig({ VOXPOP_TIMEZONE: bad }), bad).toThrow(ConfigError)
      expect(() => loadConfig({ VOXPOP_TIMEZONE: bad }), bad).toThrow(/VOXPOP_TIMEZONE/)
    }
  })

  it('refuses bad values with the variable named', () => {
    expect(() => loadConfig({ VOXPOP_MODERATION: 'later' })).toThrow(/VOXPOP_MODERATION/)
    expect(() => loadConfig({ VOXPOP_SECRET: 'short' })).toThrow(/VOXPOP_SECRET/)
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/)
    expect(() => loadConfig({ VOXPOP_TRUST_PROXY: 'everyone' })).toThrow(/VOXPOP_TRUST_PROXY/)
  })
})
