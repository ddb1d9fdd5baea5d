/**
 * Lovelace as ADA with up to six decimals and thousands separators.
 *
 * @example
 * ada(12_500_000n) // "12.5 ₳"
 */
export function ada(lovelace: bigint | string | number): string {
  const l = BigInt(lovelace)
  const neg = l < 0n
  const abs = neg ? -l : l
  const whole = (abs / 1_000_000n).toLocaleString('en-US')
  const frac = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''} ₳`
}

/**
 * ADA typed by a user ("12.5") as lovelace; throws a readable error on anything else.
 *
 * @example
 * parseAda('12.5') // 12_500_000n
 */
export function parseAda(text: string): bigint {
  const t = text.trim()
  const m = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(t)
  if (!m) throw new Error(`"${text}" is not an amount of ADA (e.g. 12.5, at most 6 decimals)`)
  const l = BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'))
  if (l === 0n) throw new Error('the amount must be more than 0')
  return l
}

/**
 * A long hex string shortened to its head and tail.
 *
 * @example
 * short('ab12…ef') // "ab12cd…89ef"
 */
export function short(hex: string | null | undefined, n = 8): string {
  if (!hex) return '—'
  return hex.length <= 2 * n + 1 ? hex : `${hex.slice(0, n)}…${hex.slice(-4)}`
}

/**
 * A clock time (HH:MM:SS) of a POSIX ms time.
 *
 * @example
 * clock(Date.now()) // "07:41:02"
 */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19)
}
