import { buildRefundTx, type OutRef } from '../../l1/index.js'
import { chainNow, completeAndSubmit, l1Context, walletAccount, type L1Options } from '../l1/l1Context.js'
import { LayerOneError } from '../l1/LayerOneError.js'
import type { BaseClient } from '../transport.js'
import { getDeposits } from './getDeposits.js'

/** Parameters of {@link refundDeposit}. */
export interface RefundDepositParams extends L1Options {
  /** The deposit output; default every refundable deposit of the wallet. */
  readonly outRef?: OutRef
}

/** What {@link refundDeposit} returns. */
export interface RefundResult {
  readonly txHash: string
  /** Lovelace taken back (before the layer-1 fee). */
  readonly amount: bigint
  readonly outRefs: OutRef[]
}

/**
 * Takes back deposits the operator did not absorb by their refund time: the wallet (the deposit's
 * owner) signs a Refund spend. `DEPOSIT_NOT_FOUND` (absorbed, already refunded, or never there),
 * `NOT_OWNER` (another account's deposit), `TOO_EARLY` (`details.at`: when it becomes refundable).
 *
 * @example
 * const { txHash, amount } = await client.refundDeposit({ lucid, outRef })
 */
export async function refundDeposit(client: BaseClient, params: RefundDepositParams): Promise<RefundResult> {
  const { scripts } = await l1Context(client, params)
  const me = await walletAccount(params.lucid)
  const all = await getDeposits(client, { ...params, owner: 'all' })
  let chosen
  if (params.outRef) {
    const ref = params.outRef
    const d = all.find((x) => x.outRef.txHash === ref.txHash && x.outRef.outputIndex === ref.outputIndex)
    if (!d) throw new LayerOneError('DEPOSIT_NOT_FOUND', `no deposit ${ref.txHash}#${ref.outputIndex} at the deposit address: it was absorbed by a commitment (credited on layer 2) or already refunded`)
    if (d.owner !== me) throw new LayerOneError('NOT_OWNER', `deposit ${ref.txHash}#${ref.outputIndex} belongs to ${d.owner}, not to the wallet's account ${me}`)
    if (!d.refundable) {
      throw new LayerOneError('TOO_EARLY', `deposit ${ref.txHash}#${ref.outputIndex} is refundable after ${new Date(Number(d.refundAfter)).toISOString()}`, { details: { at: Number(d.refundAfter) } })
    }
    chosen = [d]
  } else {
    const mine = all.filter((d) => d.owner === me)
    chosen = mine.filter((d) => d.refundable)
    if (chosen.length === 0) {
      if (mine.length === 0) throw new LayerOneError('DEPOSIT_NOT_FOUND', `the wallet's account ${me} has no deposit waiting at the deposit address`)
      const next = mine.reduce((a, b) => (a.refundAfter < b.refundAfter ? a : b))
      throw new LayerOneError('TOO_EARLY', `none of the ${mine.length} waiting deposits is refundable yet; the first one is after ${new Date(Number(next.refundAfter)).toISOString()}`, { details: { at: Number(next.refundAfter) } })
    }
  }
  const tx = buildRefundTx(params.lucid, scripts, chosen.map((d) => d.utxo), chainNow(params.lucid))
  const { txHash } = await completeAndSubmit(tx, 'refund')
  return { txHash, amount: chosen.reduce((a, d) => a + d.amount, 0n), outRefs: chosen.map((d) => d.outRef) }
}
