import { CML } from '@lucid-evolution/lucid'
import type { OutRef } from '../../l1/data.js'

/**
 * One output of a decoded tx.
 *
 * @example
 * decodeL1Tx(cbor, unit).outputs[0]!.datum // inline datum CBOR hex
 */
export interface DecodedOutput {
  /** bech32 */
  readonly address: string
  readonly lovelace: bigint
  /** Quantity of `unit` (policy id + asset name hex) held, for the unit asked about. */
  readonly unitQuantity: bigint
  /** The inline datum's CBOR hex, or undefined. */
  readonly datum: string | undefined
  /** The address's payment key hash (hex), or undefined for a script payment credential. */
  readonly paymentKeyHash: string | undefined
  /** True when the output holds lovelace and no other asset. */
  readonly adaOnly: boolean
}

/**
 * What the auditor reads from a tx's CBOR: its inputs in ledger order, outputs and spend redeemers.
 *
 * @example
 * const { inputs, spendRedeemers } = decodeL1Tx(cbor, unit)
 */
export interface DecodedL1Tx {
  /** Inputs sorted as the ledger orders them (tx hash, then index): a spend redeemer's index points here. */
  readonly inputs: readonly OutRef[]
  readonly outputs: readonly DecodedOutput[]
  /** Spend redeemers (Plutus data CBOR hex) by input index. */
  readonly spendRedeemers: ReadonlyMap<number, string>
}

/**
 * Decodes the parts of a layer-1 tx the auditor checks, with CML. `unit` selects which asset
 * `unitQuantity` counts (the state token).
 *
 * @example
 * const tx = decodeL1Tx(cbor, scripts.unit)
 * tx.outputs.findIndex((o) => o.unitQuantity === 1n) // the anchor output
 */
export function decodeL1Tx(cbor: string, unit: string): DecodedL1Tx {
  const tx = CML.Transaction.from_cbor_hex(cbor)
  const body = tx.body()
  const ins = body.inputs()
  const inputs: OutRef[] = []
  for (let i = 0; i < ins.len(); i++) inputs.push({ txHash: ins.get(i).transaction_id().to_hex(), outputIndex: Number(ins.get(i).index()) })
  inputs.sort((a, b) => (a.txHash < b.txHash ? -1 : a.txHash > b.txHash ? 1 : a.outputIndex - b.outputIndex))
  const policy = CML.ScriptHash.from_hex(unit.slice(0, 56))
  const name = CML.AssetName.from_hex(unit.slice(56))
  const outs = body.outputs()
  const outputs: DecodedOutput[] = []
  for (let i = 0; i < outs.len(); i++) {
    const o = outs.get(i)
    const amount = o.amount()
    const d = o.datum()?.as_datum()
    const address = o.address()
    outputs.push({
      address: address.to_bech32(undefined),
      lovelace: amount.coin(),
      unitQuantity: amount.multi_asset().get(policy, name) ?? 0n,
      datum: d ? d.to_cbor_hex() : undefined,
      paymentKeyHash: address.payment_cred()?.as_pub_key()?.to_hex(),
      adaOnly: amount.multi_asset().policy_count() === 0,
    })
  }
  const spendRedeemers = new Map<number, string>()
  const rs = tx.witness_set().redeemers()
  if (rs) {
    const legacy = rs.as_arr_legacy_redeemer()
    if (legacy) {
      for (let i = 0; i < legacy.len(); i++) {
        const r = legacy.get(i)
        if (r.tag() === CML.RedeemerTag.Spend) spendRedeemers.set(Number(r.index()), r.data().to_cbor_hex())
      }
    } else {
      const map = rs.as_map_redeemer_key_to_redeemer_val()
      const keys = map?.keys()
      for (let i = 0; keys && i < keys.len(); i++) {
        const k = keys.get(i)
        if (k.tag() === CML.RedeemerTag.Spend) spendRedeemers.set(Number(k.index()), map!.get(k)!.data().to_cbor_hex())
      }
    }
  }
  return { inputs, outputs, spendRedeemers }
}
