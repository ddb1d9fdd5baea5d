import { ClientError, NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { RequestOptions } from '../types.js'
import { getBatches, type Batch } from './getBatches.js'
import { waitForReceipt } from './waitForReceipt.js'

/** Parameters of {@link waitForCommitment}: a log position, or a transaction id. */
export type WaitForCommitmentParams = ({ readonly seq: number } | { readonly txId: Uint8Array | string }) &
  RequestOptions & {
    /** Default 10 minutes. */
    readonly timeoutMs?: number
    /** Default 1,000 ms. */
    readonly pollIntervalMs?: number
    /** Called on every poll (progress output): the time waited and the newest batch seen. */
    readonly onPoll?: (waitedMs: number, latest: Batch | undefined) => void
  }

/**
 * Resolves with the first confirmed batch (commitment on layer 1) that includes log position `seq`, or
 * the transaction `txId`: from then on a withdrawal can prove against its root. Polls `GET /batches`.
 * `ClientError('WAIT_TIMEOUT')` after `timeoutMs`.
 *
 * @example
 * const { seq } = await client.requestWithdrawal({ signer, amount: 5_000_000n })
 * const batch = await client.waitForCommitment({ seq })
 */
export async function waitForCommitment(client: BaseClient, params: WaitForCommitmentParams): Promise<Batch> {
  const started = Date.now()
  const timeoutMs = params.timeoutMs ?? 600_000
  const interval = params.pollIntervalMs ?? 1000
  const signal = params.signal ? { signal: params.signal } : {}
  const seq = 'seq' in params ? params.seq : (await waitForReceipt(client, { txId: params.txId, timeoutMs, ...signal })).seq
  let from = 0
  let latest: Batch | undefined
  for (;;) {
    for (;;) {
      const page = await getBatches(client, { from, limit: 1000, ...signal })
      for (const b of page) {
        latest = b
        if (b.status !== 'confirmed') continue
        if (b.lastSeq >= seq) return b
        from = b.number + 1
      }
      if (page.length < 1000) break
    }
    params.onPoll?.(Date.now() - started, latest)
    if (Date.now() - started + interval > timeoutMs) throw new ClientError('WAIT_TIMEOUT', `no commitment including seq ${seq} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, interval))
    if (params.signal?.aborted) throw new NetworkError('ABORTED', 'waitForCommitment: aborted', { request: 'GET /batches' })
  }
}
