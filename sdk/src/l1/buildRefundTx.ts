import type { LucidEvolution, TxBuilder, UTxO } from '@lucid-evolution/lucid'
import { depositDatumFromData, DepositRedeemer } from './data.js'
import { slotStart, withDeposit, type ScriptRefs } from './common.js'
import type { LagoonScripts } from './scripts.js'
import { payingLedgerFee } from './exactFee.js'

/**
 * Takes deposits back after their refund time; each deposit's owner must sign (the wallet, when it
 * is the owner). The change goes to the wallet.
 *
 * @example
 * const tx = buildRefundTx(lucid, scripts, [deposit], Date.now())
 */
export function buildRefundTx(lucid: LucidEvolution, scripts: LagoonScripts, deposits: UTxO[], now: number, refs?: ScriptRefs): TxBuilder {
  let tx = lucid.newTx().collectFrom(deposits, DepositRedeemer.refund).validFrom(slotStart(lucid, now))
  for (const owner of new Set(deposits.map((d) => depositDatumFromData(d.datum!).owner))) tx = tx.addSignerKey(owner)
  return payingLedgerFee(lucid, withDeposit(tx, scripts, refs), [refs?.deposit])
}
