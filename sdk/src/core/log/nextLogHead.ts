import { u64be } from '../bytes.js'
import type { Blake2b256 } from '../crypto/blake2b256.js'

/** The head of the empty log: 32 zero bytes. */
export const GENESIS_LOG_HEAD: Uint8Array = new Uint8Array(32)

/**
 * The task-log head after appending `taskBytes` as entry `seq`:
 * `H(prevHead ‖ u64be(seq) ‖ taskBytes)`. Sequence numbers start at 1.
 *
 * @example
 * let head = GENESIS_LOG_HEAD
 * head = nextLogHead(hash, head, 1, encodeTask(task))
 */
export function nextLogHead(hash: Blake2b256, prevHead: Uint8Array, seq: number | bigint, taskBytes: Uint8Array): Uint8Array {
  const buf = new Uint8Array(40 + taskBytes.length)
  buf.set(prevHead, 0)
  buf.set(u64be(seq), 32)
  buf.set(taskBytes, 40)
  return hash(buf)
}
