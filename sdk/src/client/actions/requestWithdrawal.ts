import type { BaseClient } from '../transport.js'
import { sendActions, type SentTx, type TxOptions } from './sendActions.js'

/** Parameters of {@link requestWithdrawal}. */
export interface RequestWithdrawalParams extends TxOptions {
  /** Lovelace, at least 1,000,000 (an exit pays a layer-1 output). */
  readonly amount: bigint
}

/**
 * Moves `amount` from the layer-2 balance to the pending exit, to be paid on layer 1 once a root that
 * contains it is committed (the layer-1 withdrawal itself is built by the layer-1 builders).
 *
 * @example
 * await client.requestWithdrawal({ signer, amount: 10_000_000n })
 * (await client.getAccount({ account })).pendingExit // 10_000_000n
 */
export function requestWithdrawal(client: BaseClient, params: RequestWithdrawalParams): Promise<SentTx> {
  return sendActions(client, { ...params, actions: [{ type: 'withdraw', amount: params.amount }] })
}
