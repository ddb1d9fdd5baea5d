import { Data, type LucidEvolution, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { anchorDatumFromData, anchorDatumToData, anchorRedeemerToData, type AnchorDatum } from './data.js'
import { slotStart, withAnchor, type ScriptRefs } from './common.js'
import type { LagoonScripts } from './scripts.js'
import { payingLedgerFee } from './exactFee.js'

/**
 * Freezes the anchor (anyone, once `now` > last_commit + exodus_timeout): same value, mode Frozen.
 *
 * @example
 * const { tx } = buildFreezeTx(lucid, scripts, anchor, Date.now())
 */
export function buildFreezeTx(lucid: LucidEvolution, scripts: LagoonScripts, anchor: UTxO, now: number, refs?: ScriptRefs): { tx: TxBuilder; datum: AnchorDatum } {
  const datum: AnchorDatum = { ...anchorDatumFromData(anchor.datum!), mode: 'frozen' }
  const tx = lucid
    .newTx()
    .collectFrom([anchor], Data.to(anchorRedeemerToData({ type: 'freeze' })))
    .pay.ToContract(scripts.anchorAddress, { kind: 'inline', value: Data.to(anchorDatumToData(datum)) }, anchor.assets)
    .validFrom(slotStart(lucid, now))
  return { tx: payingLedgerFee(lucid, withAnchor(tx, scripts, refs), [refs?.anchor]), datum }
}
