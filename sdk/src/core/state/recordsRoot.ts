import { encodeCanonical } from '../cbor/canonical.js'
import type { Blake2b256 } from '../crypto/blake2b256.js'

/**
 * The hash of one record: `H(canonical CBOR [key, value])`.
 *
 * @example
 * recordHash(hash, new TextEncoder().encode('score'), new Uint8Array([7]))
 */
export function recordHash(hash: Blake2b256, key: Uint8Array, value: Uint8Array): Uint8Array {
  return hash(encodeCanonical([key, value]))
}

/**
 * The records root: 32 zero bytes for no records, else `H(h_1 ‖ … ‖ h_n)` over the record hashes
 * in the order of their keys (bytewise). The caller sorts; this function does not see the keys.
 *
 * @example
 * recordsRoot(hash, []) // 32 zero bytes
 * recordsRoot(hash, [recordHash(hash, keyA, valueA), recordHash(hash, keyB, valueB)]) // keyA < keyB
 */
export function recordsRoot(hash: Blake2b256, recordHashesSortedByKey: readonly Uint8Array[]): Uint8Array {
  if (recordHashesSortedByKey.length === 0) return new Uint8Array(32)
  const all = new Uint8Array(32 * recordHashesSortedByKey.length)
  recordHashesSortedByKey.forEach((h, i) => {
    if (h.length !== 32) throw new RangeError(`record hash ${i} is ${h.length} bytes, not 32`)
    all.set(h, 32 * i)
  })
  return hash(all)
}
