import { hashIntoOf, type Blake2b256 } from '../crypto/blake2b256.js'

/**
 * The depth of the state tree: leaves are at level 0, the root at level 32, so there are 2^32 leaves.
 *
 * @example
 * const capacity = 2 ** TREE_DEPTH // 4,294,967,296 accounts
 */
export const TREE_DEPTH = 32

// Keyed by the function so that two implementations never share an entry; a WeakMap so a dropped
// function takes its entry with it.
const cache = new WeakMap<Blake2b256, readonly Uint8Array[]>()

/**
 * The roots of the empty subtrees: `empty(0) = 0^32`, `empty(l+1) = H(empty(l) ‖ empty(l))`, for
 * l = 0..32 (33 values). Computed once per hash function and shared: callers must not write to them.
 *
 * @example
 * const empty = emptyHashes(hash)
 * empty[32] // the root of the empty tree
 */
export function emptyHashes(hash: Blake2b256): readonly Uint8Array[] {
  const cached = cache.get(hash)
  if (cached !== undefined) return cached
  const hashInto = hashIntoOf(hash)
  const all = new Uint8Array(32 * (TREE_DEPTH + 1))
  const pair = new Uint8Array(64)
  for (let l = 0; l < TREE_DEPTH; l++) {
    pair.set(all.subarray(32 * l, 32 * l + 32), 0)
    pair.set(all.subarray(32 * l, 32 * l + 32), 32)
    hashInto(pair, 0, 64, all, 32 * (l + 1))
  }
  const values = Object.freeze(Array.from({ length: TREE_DEPTH + 1 }, (_, l) => all.subarray(32 * l, 32 * l + 32)))
  cache.set(hash, values)
  return values
}
