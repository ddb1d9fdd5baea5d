import { toHex } from '../../core/bytes.js'
import type { BaseClient } from '../transport.js'
import type { Receipt, RequestOptions } from '../types.js'
import { parseReceipt } from './parseReceipt.js'

/** Parameters of {@link getReceipt}. */
export interface GetReceiptParams extends RequestOptions {
  /** The tx id (32 bytes, or hex). */
  readonly txId: Uint8Array | string
}

/**
 * The receipt (seq and log head) of an applied transaction. Throws `ApiError` `NOT_FOUND` when no task
 * with that id has been applied (yet); {@link waitForReceipt} polls until it has.
 *
 * @example
 * const { seq, logHead } = await client.getReceipt({ txId })
 */
export async function getReceipt(client: BaseClient, params: GetReceiptParams): Promise<Receipt> {
  const id = typeof params.txId === 'string' ? params.txId.toLowerCase() : toHex(params.txId)
  const r = await client.request({ method: 'GET', path: `/receipts/${id}`, ...(params.signal ? { signal: params.signal } : {}) })
  return parseReceipt(r, 'GET /receipts/:txId')
}
