import { Data, type LucidEvolution, type TxBuilder } from '@lucid-evolution/lucid'
import { depositDatumToData, type DepositDatum } from './data.js'
import type { LagoonScripts } from './scripts.js'

/**
 * Locks `lovelace` at the deposit address for `datum.owner`, refundable after `datum.refundAfter`.
 *
 * @example
 * const tx = buildDepositTx(lucid, scripts, { owner, refundAfter: BigInt(Date.now() + 86_400_000) }, 10_000_000n)
 */
export function buildDepositTx(lucid: LucidEvolution, scripts: LagoonScripts, datum: DepositDatum, lovelace: bigint): TxBuilder {
  return lucid.newTx().pay.ToContract(scripts.depositAddress, { kind: 'inline', value: Data.to(depositDatumToData(datum)) }, { lovelace })
}
