import type { BaseClient } from '../transport.js'
import { bytesArg, sendActions, type SentTx, type TxOptions } from './sendActions.js'

/** Parameters of {@link put}. */
export interface PutParams extends TxOptions {
  /** 1 to 64 bytes; a string is taken as UTF-8. */
  readonly key: Uint8Array | string
  /** 0 to 1,024 bytes; a string is taken as UTF-8. */
  readonly value: Uint8Array | string
}

/**
 * Creates or replaces a record in the signer's own namespace.
 *
 * @example
 * await client.put({ signer, key: 'score', value: '42' })
 */
export function put(client: BaseClient, params: PutParams): Promise<SentTx> {
  return sendActions(client, { ...params, actions: [{ type: 'put', key: bytesArg(params.key), value: bytesArg(params.value) }] })
}
