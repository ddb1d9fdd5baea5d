import { toHex } from '../core.js'

/** Proof of acceptance: the task is durable at log position `seq`, and the log head after it is `logHead`. */
export interface Receipt {
  /** Hex: the tx id for a layer-2 tx, else BLAKE2b-256 of the task bytes. */
  readonly txId: string
  readonly seq: number
  /** Hex: the task-log head after this entry. */
  readonly logHead: string
}

/**
 * Builds a receipt from raw bytes.
 *
 * @example
 * receiptOf(tx.id, 42, head) // { txId: 'ab…', seq: 42, logHead: 'cd…' }
 */
export function receiptOf(id: Uint8Array, seq: number, head: Uint8Array): Receipt {
  return { txId: toHex(id), seq, logHead: toHex(head) }
}
