import { ApiError, ClientError, NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { Receipt, RequestOptions } from '../types.js'
import { getReceipt } from './getReceipt.js'

/** Parameters of {@link waitForReceipt}. */
export interface WaitForReceiptParams extends RequestOptions {
  readonly txId: Uint8Array | string
  /** Give up after this many milliseconds (`ClientError('WAIT_TIMEOUT')`); default 60,000. */
  readonly timeoutMs?: number
  /** Poll interval; default 250 ms. */
  readonly pollIntervalMs?: number
}

/**
 * Resolves with the receipt once the task with `txId` is in the log: polls `GET /receipts/:txId`,
 * riding over `NOT_FOUND` and transient network errors. Useful after a `submitTx` whose answer was lost.
 *
 * @example
 * const receipt = await client.waitForReceipt({ txId: tx.id, timeoutMs: 10_000 })
 */
export async function waitForReceipt(client: BaseClient, params: WaitForReceiptParams): Promise<Receipt> {
  const deadline = Date.now() + (params.timeoutMs ?? 60_000)
  const interval = params.pollIntervalMs ?? 250
  for (;;) {
    try {
      return await getReceipt(client, params)
    } catch (e) {
      const transient = (e instanceof ApiError && (e.code === 'NOT_FOUND' || e.retryable)) || (e instanceof NetworkError && e.code !== 'ABORTED')
      if (!transient) throw e
    }
    if (Date.now() + interval > deadline) {
      throw new ClientError('WAIT_TIMEOUT', `no receipt for ${typeof params.txId === 'string' ? params.txId : 'the transaction'} within ${params.timeoutMs ?? 60_000} ms`)
    }
    await new Promise((r) => setTimeout(r, interval))
    if (params.signal?.aborted) throw new NetworkError('ABORTED', 'waitForReceipt: aborted', { request: 'GET /receipts/:txId' })
  }
}
