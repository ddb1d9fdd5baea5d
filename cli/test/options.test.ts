import { describe, expect, it } from 'vitest'
import { CliError } from '../src/CliError.js'
import { formatAda, parseAda } from '../src/options/ada.js'
import { parseDuration } from '../src/options/duration.js'

describe('amounts in ADA', () => {
  it.each([
    ['12.5', 12_500_000n],
    ['3', 3_000_000n],
    ['0.000001', 1n],
    ['1000000.123456', 1_000_000_123_456n],
    [' 7 ', 7_000_000n],
  ])('parses %s', (text, lovelace) => {
    expect(parseAda(text, 'AMOUNT')).toBe(lovelace)
  })
  it.each(['', '-1', '1.2345678', '1e6', '12,5', 'ten', '0', '0.0', '.5'])('refuses "%s" with a USAGE error and a hint', (text) => {
    const e = (() => {
      try {
        parseAda(text, 'AMOUNT')
      } catch (x) {
        return x
      }
    })()
    expect(e).toBeInstanceOf(CliError)
    expect(e).toMatchObject({ code: 'USAGE' })
    expect((e as CliError).hint).toMatch(/ADA|12\.5/)
  })
  it('formats lovelace as ADA without trailing zeros', () => {
    expect(formatAda(12_500_000n)).toBe('12.5 ADA')
    expect(formatAda(1n)).toBe('0.000001 ADA')
    expect(formatAda(1_234_567_000_000n)).toBe('1,234,567 ADA')
    expect(formatAda(-2_000_000n)).toBe('-2 ADA')
  })
})

describe('durations', () => {
  it('parses ms, s, m, h and d', () => {
    expect([parseDuration('1500ms', 'D'), parseDuration('90s', 'D'), parseDuration('10m', 'D'), parseDuration('24h', 'D'), parseDuration('1.5d', 'D')]).toEqual([1500, 90_000, 600_000, 86_400_000, 129_600_000])
  })
  it('refuses a number without a unit', () => {
    expect(() => parseDuration('24', '--refund-after')).toThrow(/--refund-after "24" is not a duration/)
  })
})
