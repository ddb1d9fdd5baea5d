import { CML, Data } from '@lucid-evolution/lucid'
import { anchorDatumFromData, anchorRedeemerFromData, type AnchorDatum, type AnchorRedeemer } from './sdkL1.js'

/**
 * The redeemer a tx gives the input `spent` (a spend redeemer's index is the input's position among
 * the tx's inputs sorted by out-ref, as the ledger orders them), decoded as an anchor redeemer.
 *
 * @example
 * anchorRedeemerOf(cbor, { txHash, outputIndex: 0 }) // { type: 'withdraw', exits: [...] }
 */
export function anchorRedeemerOf(cbor: string, spent: { txHash: string; outputIndex: number }): AnchorRedeemer {
  const tx = CML.Transaction.from_cbor_hex(cbor)
  const ins = tx.body().inputs()
  const refs: { txHash: string; outputIndex: number }[] = []
  for (let i = 0; i < ins.len(); i++) {
    const input = ins.get(i)
    refs.push({ txHash: input.transaction_id().to_hex(), outputIndex: Number(input.index()) })
  }
  refs.sort((a, b) => (a.txHash < b.txHash ? -1 : a.txHash > b.txHash ? 1 : a.outputIndex - b.outputIndex))
  const at = refs.findIndex((r) => r.txHash === spent.txHash && r.outputIndex === spent.outputIndex)
  if (at < 0) throw new Error(`the tx does not spend ${spent.txHash}#${spent.outputIndex}`)
  const rs = tx.witness_set().redeemers()
  if (!rs) throw new Error('the tx has no redeemers')
  let hex: string | undefined
  const legacy = rs.as_arr_legacy_redeemer()
  if (legacy) {
    for (let i = 0; i < legacy.len(); i++) {
      const r = legacy.get(i)
      if (r.tag() === CML.RedeemerTag.Spend && Number(r.index()) === at) hex = r.data().to_cbor_hex()
    }
  } else {
    const map = rs.as_map_redeemer_key_to_redeemer_val()!
    const keys = map.keys()
    for (let i = 0; i < keys.len(); i++) {
      const k = keys.get(i)
      if (k.tag() === CML.RedeemerTag.Spend && Number(k.index()) === at) hex = map.get(k)!.data().to_cbor_hex()
    }
  }
  if (hex === undefined) throw new Error(`no spend redeemer for input ${at}`)
  return anchorRedeemerFromData(Data.from(hex))
}

/**
 * The inline datum of output `index` of a tx, decoded as an anchor datum.
 *
 * @example
 * anchorDatumOfOutput(cbor, 0).batch
 */
export function anchorDatumOfOutput(cbor: string, index: number): AnchorDatum {
  const out = CML.Transaction.from_cbor_hex(cbor).body().outputs().get(index)
  const d = out.datum()?.as_datum()
  if (!d) throw new Error(`output ${index} has no inline datum`)
  return anchorDatumFromData(d.to_cbor_hex())
}
