import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { blake2b256Reference as H, loadBlake2b256 } from '../../src/core/crypto/blake2b256.js'
import { encodeCanonical } from '../../src/core/cbor/canonical.js'
import { DecodeError } from '../../src/errors/DecodeError.js'
import { emptyHashes } from '../../src/core/merkle/emptyHashes.js'
import { StateTree } from '../../src/core/merkle/StateTree.js'
import { decodeProof, encodeProof, MAX_PROOF_BYTES, rootFromProof, verifyProof, type MerkleProof } from '../../src/core/merkle/proof.js'

const fast = await loadBlake2b256()
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const leafOf = (n: number): Uint8Array => H(new Uint8Array([0x4c, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]))

function treeOf(size: number): StateTree {
  const tree = new StateTree(fast)
  tree.setLeaves(Array.from({ length: size }, (_, i) => [i, leafOf(i)] as [number, Uint8Array]))
  return tree
}

const treeAndIndex = fc.integer({ min: 1, max: 70 }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1)))

describe('proofs', () => {
  it('every proof of a populated leaf verifies, with canonical mask, and round-trips through CBOR', () => {
    fc.assert(
      fc.property(treeAndIndex, ([size, i]) => {
        const tree = treeOf(size)
        const proof = tree.prove(i)
        expect(verifyProof(fast, tree.root(), tree.getLeaf(i), proof)).toBe(true)
        expect(verifyProof(H, tree.root(), tree.getLeaf(i), proof)).toBe(true)
        expect(hex(rootFromProof(fast, tree.getLeaf(i), proof))).toBe(hex(tree.root()))
        const empty = emptyHashes(fast)
        let j = 0
        for (let l = 0; l < 32; l++) {
          if (((proof.mask >>> l) & 1) === 0) continue
          expect(hex(proof.siblings.subarray(32 * j, 32 * j + 32))).not.toBe(hex(empty[l]!))
          j++
        }
        expect(proof.siblings.length).toBe(32 * j)
        expect(decodeProof(encodeProof(proof))).toEqual(proof)
      }),
      { numRuns: 100 },
    )
  })

  it('proves empty leaves beyond size, up to index 2^32 − 1', () => {
    const tree = treeOf(5)
    for (const i of [5, 6, 100, 2 ** 31, 2 ** 32 - 1]) {
      const proof = tree.prove(i)
      expect(verifyProof(fast, tree.root(), new Uint8Array(32), proof)).toBe(true)
      expect(verifyProof(fast, tree.root(), leafOf(0), proof)).toBe(false)
      expect(decodeProof(encodeProof(proof))).toEqual(proof)
    }
    expect(tree.prove(2 ** 31).mask).toBe(2 ** 31)
  })

  it('fails when any sibling byte, index bit, mask bit or leaf byte is flipped', () => {
    fc.assert(
      fc.property(treeAndIndex, ([size, i]) => {
        const tree = treeOf(size)
        const root = tree.root()
        const leaf = tree.getLeaf(i)
        const proof = tree.prove(i)
        for (let b = 0; b < proof.siblings.length; b++) {
          const siblings = proof.siblings.slice()
          siblings[b]! ^= 1 << (b % 8)
          expect(verifyProof(fast, root, leaf, { ...proof, siblings })).toBe(false)
        }
        for (let bit = 0; bit < 32; bit++) {
          expect(verifyProof(fast, root, leaf, { ...proof, index: (proof.index ^ (1 << bit)) >>> 0 })).toBe(false)
          expect(verifyProof(fast, root, leaf, { ...proof, mask: (proof.mask ^ (1 << bit)) >>> 0 })).toBe(false)
        }
        for (let b = 0; b < 32; b++) {
          const other = leaf.slice()
          other[b]! ^= 0x80
          expect(verifyProof(fast, root, other, proof)).toBe(false)
        }
      }),
      { numRuns: 40 },
    )
  })

  it('verifyProof never throws on malformed input', () => {
    const tree = treeOf(3)
    const root = tree.root()
    const leaf = tree.getLeaf(1)
    const good = tree.prove(1)
    const bad: unknown[] = [
      { ...good, index: 2 ** 32 },
      { ...good, index: -1 },
      { ...good, index: 1.5 },
      { ...good, index: Number.NaN },
      { ...good, mask: 2 ** 32 },
      { ...good, siblings: good.siblings.subarray(1) },
      { ...good, siblings: new Uint8Array(0) },
      { ...good, siblings: 'x' },
      { index: 1 },
      null,
      undefined,
      42,
    ]
    for (const p of bad) expect(verifyProof(fast, root, leaf, p as MerkleProof)).toBe(false)
    expect(verifyProof(fast, root, leaf.subarray(1), good)).toBe(false)
    expect(verifyProof(fast, root.subarray(1), leaf, good)).toBe(false)
    expect(verifyProof(fast, null as unknown as Uint8Array, leaf, good)).toBe(false)
    expect(verifyProof(fast, root, 'leaf' as unknown as Uint8Array, good)).toBe(false)
    expect(() => rootFromProof(fast, leaf, { ...good, index: 2 ** 32 })).toThrow(RangeError)
    expect(() => encodeProof({ ...good, mask: 0 })).toThrow(RangeError)
  })

  it('encodes as canonical CBOR [index, mask, siblings]', () => {
    const sib = new Uint8Array(32).fill(7)
    expect(hex(encodeProof({ index: 1, mask: 1, siblings: sib }))).toBe(`830101 5820${hex(sib)}`.replace(' ', ''))
    expect(hex(encodeProof({ index: 0, mask: 0, siblings: new Uint8Array() }))).toBe('830000 40'.replace(' ', ''))
  })

  it('decodeProof rejects wrong shapes with BAD_SHAPE', () => {
    const cases = [
      encodeCanonical([1, 1]),
      encodeCanonical([1, 1, new Uint8Array(32), 0]),
      encodeCanonical([2 ** 32, 0, new Uint8Array()]),
      encodeCanonical([0, 2 ** 32, new Uint8Array()]),
      encodeCanonical([0, 3, new Uint8Array(32)]),
      encodeCanonical([0, 0, 'x']),
      encodeCanonical(['0', 0, new Uint8Array()]),
      encodeCanonical(new Uint8Array(3)),
    ]
    for (const bytes of cases) {
      try {
        decodeProof(bytes)
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError)
        expect((e as DecodeError).code).toBe('BAD_SHAPE')
      }
    }
    expect(() => decodeProof(new Uint8Array(MAX_PROOF_BYTES + 1))).toThrow(DecodeError)
    const full = { index: 2 ** 32 - 1, mask: 2 ** 32 - 1, siblings: new Uint8Array(32 * 32) }
    expect(encodeProof(full).length).toBe(MAX_PROOF_BYTES)
    expect(decodeProof(encodeProof(full))).toEqual(full)
  })

  it('decodeProof on random bytes or random CBOR throws only DecodeError', () => {
    const cbor = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.nat(),
        fc.bigInt({ min: 0n, max: 1n << 70n }),
        fc.uint8Array({ maxLength: 80 }),
        fc.string({ maxLength: 5 }),
        fc.array(tie('v'), { maxLength: 4 }),
      ),
    })).v
    const check = (bytes: Uint8Array): void => {
      try {
        decodeProof(bytes)
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError)
      }
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1200 }), check), { numRuns: 2000 })
    fc.assert(
      fc.property(cbor, (v) => check(encodeCanonical(v as never))),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.nat(1100), (index, mask, len) =>
        check(encodeCanonical([index, mask, new Uint8Array(len)])),
      ),
      { numRuns: 500 },
    )
  })
})
