import { bytesEqual, decodeCanonical, encodeCanonical } from '../cbor/canonical.js'
import { hashIntoOf, type Blake2b256 } from '../crypto/blake2b256.js'
import { DecodeError } from '../../errors/DecodeError.js'
import { emptyHashes, TREE_DEPTH } from './emptyHashes.js'

/**
 * A state-tree membership proof (protocol spec, "Proofs"): bit `l` of `mask` is set when the sibling at
 * level `l` is not `empty(l)`; `siblings` holds those siblings, 32 bytes each, leaf level first; bit `l`
 * of `index` is 1 when the node at level `l` is a right child.
 *
 * @example
 * const proof: MerkleProof = tree.prove(5)
 * proof.siblings.length === 32 * popcount(proof.mask)
 */
export type MerkleProof = { index: number; mask: number; siblings: Uint8Array }

/**
 * The largest encoded proof: `83`, two 5-byte uints, a 3-byte head and 32 siblings of 32 bytes.
 *
 * @example
 * if (bytes.length > MAX_PROOF_BYTES) reject() // decodeProof throws TOO_LARGE here
 */
export const MAX_PROOF_BYTES = 1 + 5 + 5 + 3 + 32 * TREE_DEPTH

const TWO_32 = 2 ** 32

/**
 * The root that `proof` and `leafHash` imply. Throws `RangeError` if the proof is malformed (index or
 * mask not below 2^32, siblings not 32 bytes per set mask bit, leaf not 32 bytes).
 *
 * @example
 * bytesEqual(rootFromProof(hash, leaf, tree.prove(i)), tree.root()) // true
 */
export function rootFromProof(hash: Blake2b256, leafHash: Uint8Array, proof: MerkleProof): Uint8Array {
  const problem = malformed(leafHash, proof)
  if (problem !== undefined) throw new RangeError(`malformed proof: ${problem}`)
  const empty = emptyHashes(hash)
  const hashInto = hashIntoOf(hash)
  const { index, mask, siblings } = proof
  // One 96-byte buffer: the pair being hashed at 0..64, the digest at 64..96, so no level allocates.
  const buf = new Uint8Array(96)
  buf.set(leafHash, 64)
  let next = 0
  for (let l = 0; l < TREE_DEPTH; l++) {
    const sibling = bit(mask, l) ? siblings.subarray(next, (next += 32)) : (empty[l] as Uint8Array)
    const right = bit(index, l)
    buf.copyWithin(right ? 32 : 0, 64, 96)
    buf.set(sibling, right ? 0 : 32)
    hashInto(buf, 0, 64, buf, 64)
  }
  return buf.slice(64, 96)
}

/**
 * Whether `proof` shows `leafHash` at `proof.index` under `root`. Never throws: a malformed proof, or
 * arguments of the wrong type or length, give `false`.
 *
 * @example
 * verifyProof(hash, tree.root(), tree.getLeaf(3), tree.prove(3)) // true
 */
export function verifyProof(hash: Blake2b256, root: Uint8Array, leafHash: Uint8Array, proof: MerkleProof): boolean {
  try {
    if (!(root instanceof Uint8Array) || root.length !== 32 || malformed(leafHash, proof) !== undefined) return false
    return bytesEqual(rootFromProof(hash, leafHash, proof), root)
  } catch {
    return false
  }
}

/**
 * The canonical CBOR of a proof, `[index, mask, siblings]`. Throws `RangeError` on a malformed proof.
 *
 * @example
 * encodeProof({ index: 1, mask: 1, siblings: new Uint8Array(32) }) // 83 01 01 58 20 00…00
 */
export function encodeProof(proof: MerkleProof): Uint8Array {
  const problem = malformed(new Uint8Array(32), proof)
  if (problem !== undefined) throw new RangeError(`malformed proof: ${problem}`)
  return encodeCanonical([proof.index, proof.mask, proof.siblings])
}

/**
 * Decodes an untrusted proof. Throws only `DecodeError`: `TOO_LARGE` above {@link MAX_PROOF_BYTES},
 * `MALFORMED_CBOR` / `NON_CANONICAL` from the CBOR layer, `BAD_SHAPE` when it is not
 * `[index < 2^32, mask < 2^32, siblings of 32 bytes per set mask bit]`.
 *
 * @example
 * decodeProof(encodeProof(proof)) // deep-equals proof
 */
export function decodeProof(bytes: Uint8Array): MerkleProof {
  const value = decodeCanonical(bytes, MAX_PROOF_BYTES)
  if (!Array.isArray(value) || value.length !== 3) throw new DecodeError('BAD_SHAPE', 'a proof is [index, mask, siblings]')
  const [index, mask, siblings] = value
  if (typeof index !== 'number' || index >= TWO_32) throw new DecodeError('BAD_SHAPE', 'proof index must be an unsigned integer below 2^32')
  if (typeof mask !== 'number' || mask >= TWO_32) throw new DecodeError('BAD_SHAPE', 'proof mask must be an unsigned integer below 2^32')
  if (!(siblings instanceof Uint8Array)) throw new DecodeError('BAD_SHAPE', 'proof siblings must be a byte string')
  const expected = 32 * popcount(mask)
  if (siblings.length !== expected) {
    throw new DecodeError('BAD_SHAPE', `proof siblings are ${siblings.length} bytes; the mask calls for ${expected}`, {
      details: { size: siblings.length, expected },
    })
  }
  return { index, mask, siblings: siblings.slice() }
}

function malformed(leafHash: unknown, proof: unknown): string | undefined {
  if (!(leafHash instanceof Uint8Array) || leafHash.length !== 32) return 'leaf hash must be 32 bytes'
  if (typeof proof !== 'object' || proof === null) return 'not an object'
  const { index, mask, siblings } = proof as Partial<MerkleProof>
  if (!isUint32(index)) return 'index must be an integer in [0, 2^32)'
  if (!isUint32(mask)) return 'mask must be an integer in [0, 2^32)'
  if (!(siblings instanceof Uint8Array) || siblings.length !== 32 * popcount(mask)) return 'siblings must be 32 bytes per set mask bit'
  return undefined
}

function isUint32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < TWO_32
}

// `>>>` keeps bit 31 of values up to 2^32 − 1, where `>>` would make them negative.
function bit(n: number, l: number): boolean {
  return ((n >>> l) & 1) === 1
}

function popcount(n: number): number {
  let c = 0
  for (let x = n >>> 0; x !== 0; x >>>= 1) c += x & 1
  return c
}
