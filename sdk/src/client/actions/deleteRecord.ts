import type { BaseClient } from '../transport.js'
import { bytesArg, sendActions, type SentTx, type TxOptions } from './sendActions.js'

/** Parameters of {@link deleteRecord}. */
export interface DeleteRecordParams extends TxOptions {
  /** The record's key; a string is taken as UTF-8. */
  readonly key: Uint8Array | string
}

/**
 * Deletes a record of the signer's namespace. An absent key is `ApiError` `NO_SUCH_RECORD` (422).
 *
 * @example
 * await client.deleteRecord({ signer, key: 'score' })
 */
export function deleteRecord(client: BaseClient, params: DeleteRecordParams): Promise<SentTx> {
  return sendActions(client, { ...params, actions: [{ type: 'delete', key: bytesArg(params.key) }] })
}
