import { credentialToAddress, Data, type LucidEvolution, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { toHex } from '../core/bytes.js'
import { anchorDatumFromData, anchorDatumToData, EMPTY_HASHES, withdrawRedeemerCbor, type AnchorDatum, type ExitProof } from './data.js'
import { withAnchor, type ScriptRefs } from './common.js'
import type { LagoonScripts } from './scripts.js'
import { payingLedgerFee } from './exactFee.js'

/** What {@link buildWithdrawTx} needs. */
export interface WithdrawParams {
  anchor: UTxO
  /** From {@link sequentialExits}: each proof against the tree the previous exits left. */
  exits: ExitProof[]
  /** The root after all exits (from {@link sequentialExits}). */
  newRoot: string
  /** Exodus withdraw (frozen anchor): pays balance + pending exit. */
  exodus?: boolean
  refs?: ScriptRefs
}

/**
 * Pays one or many exits: output 0 is the anchor with the new root and the exits' ADA taken out,
 * output 1 + i pays exit i to the account's enterprise address. When `refs.anchor` carries
 * {@link EMPTY_HASHES_DATUM} the redeemer leaves the empty hashes to it (1 KB less in the tx).
 *
 * @example
 * const { exits, root } = sequentialExits(hash, tree, items, false)
 * const { tx } = buildWithdrawTx(lucid, scripts, { anchor, exits, newRoot: root })
 */
export function buildWithdrawTx(lucid: LucidEvolution, scripts: LagoonScripts, p: WithdrawParams): { tx: TxBuilder; datum: AnchorDatum } {
  const old = anchorDatumFromData(p.anchor.datum!)
  const exodus = p.exodus ?? false
  const amounts = p.exits.map((e) => (exodus ? e.leaf.balance + e.leaf.pendingExit : e.leaf.pendingExit))
  const total = amounts.reduce((a, b) => a + b, 0n)
  const datum: AnchorDatum = { ...old, root: p.newRoot }
  const network = lucid.config().network!
  let tx = lucid
    .newTx()
    .collectFrom([p.anchor], withdrawRedeemerCbor(exodus, p.exits, holdsEmptyHashes(p.refs?.anchor) ? '' : EMPTY_HASHES))
    .pay.ToContract(scripts.anchorAddress, { kind: 'inline', value: Data.to(anchorDatumToData(datum)) }, { ...p.anchor.assets, lovelace: (p.anchor.assets.lovelace ?? 0n) - total })
  p.exits.forEach((e, i) => {
    tx = tx.pay.ToAddress(credentialToAddress(network, { type: 'Key', hash: toHex(e.leaf.account) }), { lovelace: amounts[i]! })
  })
  return { tx: payingLedgerFee(lucid, withAnchor(tx, scripts, p.refs), [p.refs?.anchor]), datum }
}

/** Whether a reference UTxO's inline datum is {@link EMPTY_HASHES}. */
function holdsEmptyHashes(u: UTxO | undefined): boolean {
  if (!u?.datum) return false
  try {
    return Data.from(u.datum) === EMPTY_HASHES
  } catch {
    return false
  }
}

/**
 * Exodus withdraw: as {@link buildWithdrawTx} with `exodus: true` (frozen anchor; pays balance + pending exit).
 *
 * @example
 * const { tx } = buildExodusWithdrawTx(lucid, scripts, { anchor, exits, newRoot })
 */
export function buildExodusWithdrawTx(lucid: LucidEvolution, scripts: LagoonScripts, p: Omit<WithdrawParams, 'exodus'>): { tx: TxBuilder; datum: AnchorDatum } {
  return buildWithdrawTx(lucid, scripts, { ...p, exodus: true })
}
