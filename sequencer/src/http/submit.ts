import { decodeCanonical, type CborValue } from '../core.js'
import { NodeError } from '../errors/NodeError.js'
import type { Receipt } from '../queue/Receipt.js'
import type { Sequencer } from '../queue/Sequencer.js'
import { errorResponse } from './errorStatus.js'

/** The body of a `POST /txs` answer: one result per transaction, in order. */
export interface BatchResults {
  readonly results: ({ receipt: Receipt } | { error: unknown })[]
}

/**
 * `POST /tx`: one signed transaction; the receipt once durable. Shared by the Hono route and the
 * server's fast path, so both answer the same.
 *
 * @example
 * const receipt = await submitOne(sequencer, bytes)
 */
export function submitOne(sequencer: Sequencer, bytes: Uint8Array): Promise<Receipt> {
  return sequencer.submitTx(bytes)
}

/**
 * `POST /txs`: a CBOR array of signed-transaction byte strings, submitted in array order (so they
 * enter the FIFO queue in that order); one result per item.
 *
 * @example
 * const { results } = await submitMany(sequencer, bytes, 4096)
 */
export async function submitMany(sequencer: Sequencer, bytes: Uint8Array, maxBatchTxs: number): Promise<BatchResults> {
  const v = decodeCanonical(bytes, bytes.length)
  if (!Array.isArray(v) || !v.every((x: CborValue) => x instanceof Uint8Array)) {
    throw new NodeError('BAD_REQUEST', 'the body must be a CBOR array of byte strings, each a signed transaction')
  }
  const items = v as Uint8Array[]
  if (items.length === 0 || items.length > maxBatchTxs) {
    throw new NodeError('BAD_REQUEST', `a batch holds 1 to ${maxBatchTxs} transactions; got ${items.length}`)
  }
  const settled = await Promise.allSettled(items.map((b) => sequencer.submitTx(b)))
  return { results: settled.map((s) => (s.status === 'fulfilled' ? { receipt: s.value } : { error: errorResponse(s.reason).body })) }
}
