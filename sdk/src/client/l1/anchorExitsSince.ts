import { CML, Data, type LucidEvolution, type UTxO } from '@lucid-evolution/lucid'
import { anchorRedeemerFromData, type AnchorRedeemer } from '../../l1/data.js'
import type { LeafFields } from '../../core/state/leafBytes.js'

/** An exit paid on layer 1 since the last commitment: the leaf as proved, and whether by exodus. */
export interface ExitSince {
  readonly index: number
  readonly leaf: LeafFields
  readonly exodus: boolean
}

/** Reads a confirmed tx's CBOR (hex), or undefined when unknown. */
export type TxCborReader = (txHash: string) => Promise<string | undefined>

/**
 * How to read a tx's CBOR through Lucid's provider, when it can: a provider with `getTxCbor` (the
 * SDK's `ChainClockBlockfrost`: Blockfrost's `/txs/{hash}/cbor`) or the strict devnet's `getTxRecord`.
 *
 * @example
 * const read = txCborReaderOf(lucid) // undefined for a provider that cannot
 */
export function txCborReaderOf(lucid: LucidEvolution): TxCborReader | undefined {
  const p = lucid.config().provider as { getTxCbor?: TxCborReader; getTxRecord?: (h: string) => { cbor: string } | undefined } | undefined
  if (typeof p?.getTxCbor === 'function') return (h) => p.getTxCbor!(h)
  if (typeof p?.getTxRecord === 'function') return async (h) => p.getTxRecord!(h)?.cbor
  return undefined
}

/** The spend redeemers of a tx that decode as anchor redeemers, with the input each spends. */
function anchorSpends(cbor: string): { input: { txHash: string; outputIndex: number }; redeemer: AnchorRedeemer }[] {
  const tx = CML.Transaction.from_cbor_hex(cbor)
  const ins = tx.body().inputs()
  const refs: { txHash: string; outputIndex: number }[] = []
  for (let i = 0; i < ins.len(); i++) refs.push({ txHash: ins.get(i).transaction_id().to_hex(), outputIndex: Number(ins.get(i).index()) })
  // A spend redeemer's index is the input's position in the ledger's order (tx hash, then index).
  refs.sort((a, b) => (a.txHash < b.txHash ? -1 : a.txHash > b.txHash ? 1 : a.outputIndex - b.outputIndex))
  const rs = tx.witness_set().redeemers()
  if (!rs) return []
  const found: { index: number; hex: string }[] = []
  const legacy = rs.as_arr_legacy_redeemer()
  if (legacy) {
    for (let i = 0; i < legacy.len(); i++) {
      const r = legacy.get(i)
      if (r.tag() === CML.RedeemerTag.Spend) found.push({ index: Number(r.index()), hex: r.data().to_cbor_hex() })
    }
  } else {
    const map = rs.as_map_redeemer_key_to_redeemer_val()!
    const keys = map.keys()
    for (let i = 0; i < keys.len(); i++) {
      const k = keys.get(i)
      if (k.tag() === CML.RedeemerTag.Spend) found.push({ index: Number(k.index()), hex: map.get(k)!.data().to_cbor_hex() })
    }
  }
  const out: { input: { txHash: string; outputIndex: number }; redeemer: AnchorRedeemer }[] = []
  for (const f of found) {
    try {
      out.push({ input: refs[f.index]!, redeemer: anchorRedeemerFromData(Data.from(f.hex)) })
    } catch {
      /* not an anchor redeemer */
    }
  }
  return out
}

/**
 * The exits paid from the anchor since the commitment it holds (Withdraw and Exodus withdraw txs),
 * oldest first: walks back from the anchor output through the txs that spent each previous anchor,
 * reading their redeemers, until the Commit (or the genesis). What a proof needs when exits were paid
 * that the task log does not record (exodus withdrawals, or a withdrawal younger than k blocks).
 *
 * @example
 * const exits = await anchorExitsSince(anchorUtxo, txCborReaderOf(lucid)!)
 */
export async function anchorExitsSince(anchor: UTxO, readTx: TxCborReader, maxSteps = 10_000): Promise<ExitSince[]> {
  const exits: ExitSince[][] = []
  let at = anchor.txHash
  for (let step = 0; step < maxSteps; step++) {
    const cbor = await readTx(at)
    if (!cbor) break
    const spends = anchorSpends(cbor)
    const mine = spends.find((s) => s.redeemer.type !== 'commit') ?? spends[0]
    if (!mine || mine.redeemer.type === 'commit') break
    if (mine.redeemer.type === 'withdraw' || mine.redeemer.type === 'exodusWithdraw') {
      const exodus = mine.redeemer.type === 'exodusWithdraw'
      exits.unshift(mine.redeemer.exits.map((e) => ({ index: e.proof.index, leaf: e.leaf, exodus })))
    }
    at = mine.input.txHash
  }
  return exits.flat()
}
