import { fromHex } from '../../core/bytes.js'
import type { BaseClient } from '../transport.js'
import { sendActions, type SentTx, type TxOptions } from './sendActions.js'

/** Parameters of {@link transfer}. */
export interface TransferParams extends TxOptions {
  /** The recipient account (28 bytes, or hex); it must exist on layer 2. */
  readonly to: Uint8Array | string
  /** Lovelace. */
  readonly amount: bigint
}

/**
 * Pays `amount` lovelace to another layer-2 account, signed with the layer-2 key. Refusals are
 * `ApiError`s: `INSUFFICIENT_BALANCE`, `UNKNOWN_RECIPIENT` (422), `BAD_NONCE` (409).
 *
 * @example
 * const { txId, seq } = await client.transfer({ signer, to: bobHex, amount: 5_000_000n })
 */
export function transfer(client: BaseClient, params: TransferParams): Promise<SentTx> {
  const to = typeof params.to === 'string' ? fromHex(params.to) : params.to
  return sendActions(client, { ...params, actions: [{ type: 'transfer', to, amount: params.amount }] })
}
