import { CML, type Assets } from '@lucid-evolution/lucid'

/**
 * Adds `b` (times `sign`) into the mutable `acc`, unit by unit (`'lovelace'` or policy id + asset name hex).
 *
 * @example
 * const acc: Record<string, bigint> = {}
 * addInto(acc, { lovelace: 5n }); addInto(acc, { lovelace: 2n }, -1n) // acc.lovelace === 3n
 */
export function addInto(acc: Record<string, bigint>, b: Assets, sign: bigint = 1n): Record<string, bigint> {
  for (const [unit, q] of Object.entries(b)) acc[unit] = (acc[unit] ?? 0n) + sign * q
  return acc
}

/**
 * A CML `Value` as Lucid `Assets` (zero quantities dropped).
 *
 * @example
 * valueToUnits(output.amount()) // { lovelace: 2000000n, '<policy><name>': 1n }
 */
export function valueToUnits(value: CML.Value): Record<string, bigint> {
  const out: Record<string, bigint> = {}
  if (value.coin() !== 0n) out.lovelace = value.coin()
  const ma = value.multi_asset()
  const policies = ma.keys()
  for (let i = 0; i < policies.len(); i++) {
    const policy = policies.get(i)
    const names = ma.get_assets(policy)
    if (!names) continue
    const keys = names.keys()
    for (let j = 0; j < keys.len(); j++) {
      const name = keys.get(j)
      const q = names.get(name) ?? 0n
      if (q !== 0n) out[policy.to_hex() + Buffer.from(name.to_raw_bytes()).toString('hex')] = q
    }
  }
  return out
}

/**
 * The signed quantities of a mint field (burns negative).
 *
 * @example
 * mintToUnits(body.mint()) // { '<policy><name>': 1n, '<policy2><name2>': -3n }
 */
export function mintToUnits(mint: CML.Mint | undefined): Record<string, bigint> {
  if (!mint) return {}
  const out = valueToUnitsFromMultiAsset(mint.as_positive_multiasset())
  return addInto(out, valueToUnitsFromMultiAsset(mint.as_negative_multiasset()), -1n)
}

function valueToUnitsFromMultiAsset(ma: CML.MultiAsset): Record<string, bigint> {
  const units = valueToUnits(CMLValueOf(ma))
  delete units.lovelace
  return units
}

function CMLValueOf(ma: CML.MultiAsset): CML.Value {
  return CML.Value.new(0n, ma)
}

/**
 * The units whose quantity is not zero.
 *
 * @example
 * nonZero({ lovelace: 0n, abc: 2n }) // { abc: 2n }
 */
export function nonZero(a: Record<string, bigint>): Record<string, bigint> {
  return Object.fromEntries(Object.entries(a).filter(([, q]) => q !== 0n))
}

/**
 * A JSON-safe copy of assets (bigints as strings), for error details.
 *
 * @example
 * jsonAssets({ lovelace: 1n }) // { lovelace: '1' }
 */
export function jsonAssets(a: Record<string, bigint>): Record<string, string> {
  return Object.fromEntries(Object.entries(a).map(([u, q]) => [u, q.toString()]))
}
