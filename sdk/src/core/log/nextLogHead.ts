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
  // u64be(seq) written in place: this runs once per task on the sequencer's hot path.
  const n = Number(seq)
  if (!Number.isSafeInteger(n) || n < 0) buf.set(u64be(seq), 32)
  else {
    const hi = Math.floor(n / 2 ** 32)
    const lo = n >>> 0
    buf[32] = hi >>> 24
    buf[33] = (hi >>> 16) & 0xff
    buf[34] = (hi >>> 8) & 0xff
    buf[35] = hi & 0xff
    buf[36] = lo >>> 24
    buf[37] = (lo >>> 16) & 0xff
    buf[38] = (lo >>> 8) & 0xff
    buf[39] = lo & 0xff
  }
  buf.set(taskBytes, 40)
  return hash(buf)
}
