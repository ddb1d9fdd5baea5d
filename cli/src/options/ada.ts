import { CliError } from '../CliError.js'

/**
 * Lovelace from an ADA amount as typed on the command line: `12.5`, `3`, `0.000001` (at most six
 * decimals, no sign, no exponent). `USAGE` error otherwise.
 *
 * @example
 * parseAda('12.5', 'AMOUNT') // 12_500_000n
 */
export function parseAda(text: string | undefined, what: string): bigint {
  if (text === undefined || text === '') throw new CliError('USAGE', `${what} is required`, `give it in ADA, e.g. 12.5`)
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim())
  if (!m) throw new CliError('USAGE', `${what} "${text}" is not an amount of ADA`, 'use a decimal number of ADA with at most 6 decimals, e.g. 12.5 (1 ADA = 1,000,000 lovelace)')
  const lovelace = BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'))
  if (lovelace === 0n) throw new CliError('USAGE', `${what} must be more than 0`, 'e.g. 12.5')
  return lovelace
}

/**
 * An amount of lovelace as ADA for people: `12.5 ADA`, `0.000001 ADA`.
 *
 * @example
 * formatAda(12_500_000n) // '12.5 ADA'
 */
export function formatAda(lovelace: bigint): string {
  const neg = lovelace < 0n
  const v = neg ? -lovelace : lovelace
  const whole = (v / 1_000_000n).toLocaleString('en-US')
  const frac = (v % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''} ADA`
}
