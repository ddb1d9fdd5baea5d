import type { Blake2b256 } from '../crypto/blake2b256.js'
import { leafBytes, type LeafFields } from './leafBytes.js'

/**
 * The state-tree leaf of an account: `H(leafBytes(fields))`.
 *
 * @example
 * const hash = await loadBlake2b256()
 * const leaf = leafHash(hash, { account, balance: 0n, pendingExit: 0n, nonce: 0, recordsRoot: recordsRoot(hash, []) })
 */
export function leafHash(hash: Blake2b256, fields: LeafFields): Uint8Array {
  return hash(leafBytes(fields))
}
