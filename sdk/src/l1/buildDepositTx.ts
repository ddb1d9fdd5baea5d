import { Data, type LucidEvolution, type TxBuilder } from '@lucid-evolution/lucid'
import { depositDatumToData, type DepositDatum } from './data.js'
import { L1BuildError } from './L1BuildError.js'
import type { LagoonScripts } from './scripts.js'

/**
 * Locks `lovelace` at the deposit address for `datum.owner`, refundable after `datum.refundAfter`.
 * Refuses (`L1BuildError` `INVALID_ARGUMENT`) an owner that is not 28 bytes of hex or a refund time
 * outside [0, 2^64): the deposit validator could never decode such a datum, so the ADA could never be
 * refunded nor absorbed.
 *
 * @example
 * const tx = buildDepositTx(lucid, scripts, { owner, refundAfter: BigInt(Date.now() + 86_400_000) }, 10_000_000n)
 */
export function buildDepositTx(lucid: LucidEvolution, scripts: LagoonScripts, datum: DepositDatum, lovelace: bigint): TxBuilder {
  if (!/^[0-9a-f]{56}$/.test(datum.owner)) throw new L1BuildError('INVALID_ARGUMENT', `the deposit's owner must be an account: 28 bytes of lower-case hex, got "${datum.owner}"`)
  if (datum.refundAfter < 0n || datum.refundAfter >= 1n << 64n) throw new L1BuildError('INVALID_ARGUMENT', `the refund time must be POSIX ms in [0, 2^64), got ${datum.refundAfter}`)
  return lucid.newTx().pay.ToContract(scripts.depositAddress, { kind: 'inline', value: Data.to(depositDatumToData(datum)) }, { lovelace })
}
