import { buildFreezeTx } from '../../l1/index.js'
import { chainNow, completeAndSubmit, l1Context, readAnchor, type L1Options } from '../l1/l1Context.js'
import { LayerOneError } from '../l1/LayerOneError.js'
import type { BaseClient } from '../transport.js'

/** What {@link freeze} returns. */
export interface FreezeResult {
  readonly txHash: string
  /** The batch whose root every exodus withdrawal proves against. */
  readonly batch: number
  readonly root: string
}

/**
 * Freezes the anchor once the operator has posted no commitment for the exodus timeout: from then on
 * no commitment is accepted and every account can `exodusWithdraw`. Anyone may freeze (Lucid's wallet
 * pays the fee). `ANCHOR_FROZEN` when already frozen; `TOO_EARLY` (`details.at`) before the timeout.
 *
 * @example
 * const { txHash } = await client.freeze({ lucid })
 */
export async function freeze(client: BaseClient, params: L1Options): Promise<FreezeResult> {
  const { scripts } = await l1Context(client, params)
  const anchor = await readAnchor(params.lucid, scripts)
  if (anchor.datum.mode === 'frozen') throw new LayerOneError('ANCHOR_FROZEN', 'the anchor is already frozen: exodus withdrawals are open')
  const now = chainNow(params.lucid)
  const at = Number(anchor.datum.lastCommit + anchor.datum.exodusTimeout)
  if (now <= at) {
    throw new LayerOneError('TOO_EARLY', `the operator committed at ${new Date(Number(anchor.datum.lastCommit)).toISOString()}; the anchor can be frozen after ${new Date(at).toISOString()}`, { details: { at } })
  }
  const { tx } = buildFreezeTx(params.lucid, scripts, anchor.utxo, now)
  const { txHash } = await completeAndSubmit(tx, 'freeze')
  return { txHash, batch: Number(anchor.datum.batch), root: anchor.datum.root }
}
