import { DecodeError } from '../../errors/DecodeError.js'
import { decodeCanonical, type CborValue } from '../cbor/canonical.js'
import type { Blake2b256 } from '../crypto/blake2b256.js'
import type { Limits } from '../limits.js'
import { cborUint, decodeSignedTx } from '../tx/decodeSignedTx.js'
import { TASK_TAG, type Task } from './types.js'

// A task is a signed tx plus a few bytes of framing, or a key authorization (two COSE structures of
// at most 4 KiB each): bound the input before decoding.
const MAX_KEY_TASK_BYTES = 8300

/**
 * The largest encoded task under `limits`: a signed tx with its framing, or a key authorization.
 * What `decodeTask` accepts at most, and what bounds a log entry a reader downloads.
 *
 * @example
 * maxTaskBytes(DEFAULT_LIMITS) // 8300
 */
export function maxTaskBytes(limits: Limits): number {
  return Math.max(limits.maxTxBytes + 16, MAX_KEY_TASK_BYTES)
}

function bad(m: string): DecodeError {
  return new DecodeError('BAD_SHAPE', `task: ${m}`)
}
function sized(x: CborValue | undefined, n: number | undefined, what: string): Uint8Array {
  if (!(x instanceof Uint8Array) || (n !== undefined && x.length !== n)) {
    throw bad(`${what} must be ${n === undefined ? 'a byte string' : `${n} bytes`}`)
  }
  return x
}
function uint(x: CborValue | undefined, what: string): bigint {
  const n = cborUint(x)
  if (n === undefined) throw bad(`${what} must be an unsigned integer`)
  return n
}

/**
 * Decodes task-log bytes (untrusted: an auditor downloads them). Throws only `DecodeError`.
 *
 * @example
 * const task = decodeTask(entry.bytes, blake2b256, DEFAULT_LIMITS)
 */
export function decodeTask(bytes: Uint8Array, hash: Blake2b256, limits: Limits): Task {
  // Most tasks are transactions: `[0, signedTx]` is the 2-byte prefix 0x82 0x00 then the signed tx,
  // decoded once (not parsed generically first): the auditor's hot path.
  if (bytes.length > 2 && bytes[0] === 0x82 && bytes[1] === TASK_TAG.tx) {
    return { kind: 'tx', tx: decodeSignedTx(bytes.subarray(2), hash, limits) }
  }
  const v = decodeCanonical(bytes, maxTaskBytes(limits))
  if (!Array.isArray(v) || v.length < 2) throw bad('must be a list [tag, ...]')
  const f = v as CborValue[]
  switch (f[0]) {
    case TASK_TAG.tx:
      throw bad('a tx task is [0, signedTx]')
    case TASK_TAG.register:
    case TASK_TAG.rotate: {
      if (f.length !== 4) throw bad('a key task is [tag, account, signature, key]')
      return {
        kind: f[0] === TASK_TAG.register ? 'register' : 'rotate',
        account: sized(f[1], 28, 'account'),
        signature: sized(f[2], undefined, 'signature'),
        key: sized(f[3], undefined, 'key'),
      }
    }
    case TASK_TAG.deposit: {
      if (f.length !== 5) throw bad('a deposit task is [3, txHash, index, owner, amount]')
      const index = uint(f[2], 'output index')
      if (index > 0xffffn) throw bad('output index out of range')
      return { kind: 'deposit', txHash: sized(f[1], 32, 'tx hash'), index: Number(index), owner: sized(f[3], 28, 'owner'), amount: uint(f[4], 'amount') }
    }
    case TASK_TAG.exitPaid: {
      if (f.length !== 4) throw bad('an exit task is [4, account, amount, txHash]')
      return { kind: 'exitPaid', account: sized(f[1], 28, 'account'), amount: uint(f[2], 'amount'), txHash: sized(f[3], 32, 'tx hash') }
    }
    default:
      throw bad(`unknown tag ${String(f[0])}`)
  }
}
