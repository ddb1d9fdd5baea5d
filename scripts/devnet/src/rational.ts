/**
 * An exact fraction from a decimal number such as a Lucid price (`0.0577` → 577/10000), using the
 * shortest decimal that round-trips (so binary floating-point noise is not carried in).
 *
 * @example
 * toFraction(0.0000721) // { num: 721n, den: 10000000n }
 */
export function toFraction(x: number): { num: bigint; den: bigint } {
  const [mantissa = '0', expText = '0'] = String(x).toLowerCase().split('e')
  const [whole = '0', frac = ''] = mantissa.split('.')
  let num = BigInt(whole + frac)
  let den = 10n ** BigInt(frac.length)
  const exp = Number(expText)
  if (exp > 0) num *= 10n ** BigInt(exp)
  else if (exp < 0) den *= 10n ** BigInt(-exp)
  return { num, den }
}

/**
 * The smallest integer ≥ num/den (den > 0, num ≥ 0).
 *
 * @example
 * ceilDiv(7n, 2n) // 4n
 */
export function ceilDiv(num: bigint, den: bigint): bigint {
  return (num + den - 1n) / den
}
