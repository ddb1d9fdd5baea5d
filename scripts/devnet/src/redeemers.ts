import type { CML } from '@lucid-evolution/lucid'

/** The redeemer purposes, by CML's numeric tag. */
export const REDEEMER_TAGS = ['spend', 'mint', 'cert', 'reward', 'voting', 'proposing'] as const

/**
 * One redeemer of a tx: its purpose, index and declared execution budget.
 *
 * @example
 * const r: DeclaredRedeemer = { tag: 0, index: 0n, mem: 1000n, steps: 100000n }
 */
export interface DeclaredRedeemer {
  readonly tag: number
  readonly index: bigint
  readonly mem: bigint
  readonly steps: bigint
}

/**
 * The redeemers of a witness set, whether encoded as the legacy array or the Conway map.
 *
 * @example
 * listRedeemers(tx.witness_set()).reduce((s, r) => s + r.mem, 0n)
 */
export function listRedeemers(witnesses: CML.TransactionWitnessSet): DeclaredRedeemer[] {
  const redeemers = witnesses.redeemers()
  if (!redeemers) return []
  const out: DeclaredRedeemer[] = []
  const arr = redeemers.as_arr_legacy_redeemer()
  if (arr) {
    for (let i = 0; i < arr.len(); i++) {
      const r = arr.get(i)
      out.push({ tag: r.tag(), index: r.index(), mem: r.ex_units().mem(), steps: r.ex_units().steps() })
    }
  }
  const map = redeemers.as_map_redeemer_key_to_redeemer_val()
  if (map) {
    const keys = map.keys()
    for (let i = 0; i < keys.len(); i++) {
      const k = keys.get(i)
      const v = map.get(k)
      if (v) out.push({ tag: k.tag(), index: k.index(), mem: v.ex_units().mem(), steps: v.ex_units().steps() })
    }
  }
  return out
}

/**
 * A readable name for a redeemer, e.g. `spend#0`.
 *
 * @example
 * redeemerName({ tag: 1, index: 0n }) // 'mint#0'
 */
export function redeemerName(r: { tag: number; index: bigint }): string {
  return `${REDEEMER_TAGS[r.tag] ?? `tag${r.tag}`}#${r.index}`
}
