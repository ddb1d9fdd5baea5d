import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { blake2b256Reference as H, loadBlake2b256 } from '../../src/core/crypto/blake2b256.js'
import { emptyHashes, TREE_DEPTH } from '../../src/core/merkle/emptyHashes.js'
import { StateTree } from '../../src/core/merkle/StateTree.js'
import { verifyProof } from '../../src/core/merkle/proof.js'

const fast = await loadBlake2b256()
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const leafOf = (n: number): Uint8Array => H(new Uint8Array([0x4c, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]))

/** The spec, read literally: node(l, k) over an array of leaves, empty subtrees as empty(l). */
function referenceNode(leaves: readonly Uint8Array[], l: number, k: number): Uint8Array {
  const empty: Uint8Array[] = [new Uint8Array(32)]
  for (let m = 0; m < TREE_DEPTH; m++) empty.push(H(new Uint8Array([...empty[m]!, ...empty[m]!])))
  const node = (l: number, k: number): Uint8Array => {
    if (k * 2 ** l >= leaves.length) return empty[l]!
    if (l === 0) return leaves[k]!
    return H(new Uint8Array([...node(l - 1, 2 * k), ...node(l - 1, 2 * k + 1)]))
  }
  return node(l, k)
}
const referenceRoot = (leaves: readonly Uint8Array[]): string => hex(referenceNode(leaves, TREE_DEPTH, 0))

type Op = { kind: 'append' } | { kind: 'update'; at: number } | { kind: 'batch'; ops: ({ kind: 'append' } | { kind: 'update'; at: number })[] }
const single = fc.oneof(fc.constant({ kind: 'append' as const }), fc.record({ kind: fc.constant('update' as const), at: fc.nat() }))
const op: fc.Arbitrary<Op> = fc.oneof(single, fc.record({ kind: fc.constant('batch' as const), ops: fc.array(single, { maxLength: 12 }) }))

describe('emptyHashes', () => {
  it('follows empty(l+1) = H(empty(l) ‖ empty(l)) and is cached per hash function', () => {
    const e = emptyHashes(fast)
    expect(e.length).toBe(33)
    expect(hex(e[0]!)).toBe('00'.repeat(32))
    for (let l = 0; l < 32; l++) expect(hex(e[l + 1]!)).toBe(hex(H(new Uint8Array([...e[l]!, ...e[l]!]))))
    expect(emptyHashes(fast)).toBe(e)
    expect(emptyHashes(H).map(hex)).toEqual(e.map(hex))
  })
})

describe('StateTree', () => {
  it('an empty tree has root empty(32)', () => {
    const tree = new StateTree(fast)
    expect(tree.size).toBe(0)
    expect(hex(tree.root())).toBe(hex(emptyHashes(H)[32]!))
    expect(hex(tree.root())).toBe(referenceRoot([]))
    expect(verifyProof(fast, tree.root(), new Uint8Array(32), tree.prove(0))).toBe(true)
  })

  it('built incrementally (appends and updates, single or batched) matches the reference', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), fc.boolean(), (ops, useFast) => {
        const tree = new StateTree(useFast ? fast : H)
        const model: Uint8Array[] = []
        let counter = 0
        const toUpdate = (o: { kind: 'append' } | { kind: 'update'; at: number }, size: number): [number, Uint8Array] | undefined => {
          if (o.kind === 'append') return [size, leafOf(counter++)]
          if (size === 0) return undefined
          return [o.at % size, leafOf(counter++)]
        }
        for (const o of ops) {
          if (o.kind === 'batch') {
            const updates: [number, Uint8Array][] = []
            let size = model.length
            for (const s of o.ops) {
              const u = toUpdate(s, size)
              if (u === undefined) continue
              if (u[0] === size) size++
              updates.push(u)
            }
            tree.setLeaves(updates)
            for (const [i, leaf] of updates) model[i] = leaf
          } else {
            const u = toUpdate(o, model.length)
            if (u === undefined) continue
            tree.setLeaf(u[0], u[1])
            model[u[0]] = u[1]
          }
        }
        expect(tree.size).toBe(model.length)
        expect(hex(tree.root())).toBe(referenceRoot(model))
        for (let i = 0; i < model.length; i++) expect(hex(tree.getLeaf(i))).toBe(hex(model[i]!))
        expect(hex(tree.getLeaf(model.length))).toBe('00'.repeat(32))
        expect(hex(StateTree.fromLeaves(fast, concat(model)).root())).toBe(hex(tree.root()))
        expect(hex(StateTree.fromLevels(fast, tree.toLevels()).root())).toBe(hex(tree.root()))
        // A clone is independent: changing it leaves the tree as it was, and it proves like the tree.
        const clone = tree.clone()
        expect(hex(clone.root())).toBe(hex(tree.root()))
        const rootBefore = hex(tree.root())
        clone.setLeaf(clone.size, leafOf(999_999))
        if (model.length > 0) clone.setLeaf(0, leafOf(999_998))
        expect(hex(tree.root())).toBe(rootBefore)
        expect(hex(clone.root())).toBe(referenceRoot([...(model.length > 0 ? [leafOf(999_998), ...model.slice(1)] : []), leafOf(999_999)]))
        // The levels the tree does not keep (1–2) come out of toLevels as the spec's nodes, and every
        // proof (whose low siblings are hashed from the leaves) verifies.
        const levels = tree.toLevels()
        for (let l = 1; l <= 4; l++) {
          for (let k = 0; k < levels[l]!.length / 32; k++) expect(hex(levels[l]!.subarray(32 * k, 32 * k + 32))).toBe(hex(referenceNode(model, l, k)))
        }
        for (let i = 0; i <= model.length; i++) expect(verifyProof(fast, tree.root(), tree.getLeaf(i), tree.prove(i))).toBe(true)
      }),
      { numRuns: 150 },
    )
  })

  it('rejects an index beyond size or a leaf that is not 32 bytes, leaving the tree unchanged', () => {
    const tree = new StateTree(fast)
    tree.setLeaves([[0, leafOf(0)], [1, leafOf(1)]])
    const before = hex(tree.root())
    expect(() => tree.setLeaves([[2, leafOf(2)], [4, leafOf(4)]])).toThrow(RangeError)
    expect(() => tree.setLeaves([[0, new Uint8Array(31)]])).toThrow(RangeError)
    expect(() => tree.setLeaf(3, leafOf(3))).toThrow(RangeError)
    expect(() => tree.setLeaf(-1, leafOf(3))).toThrow(RangeError)
    expect(() => tree.setLeaf(0.5, leafOf(3))).toThrow(RangeError)
    expect(() => tree.getLeaf(2 ** 32)).toThrow(RangeError)
    expect(tree.size).toBe(2)
    expect(hex(tree.root())).toBe(before)
  })

  it('later updates of the same leaf in a batch win', () => {
    const tree = new StateTree(fast)
    tree.setLeaves([[0, leafOf(0)], [0, leafOf(1)], [1, leafOf(2)], [0, leafOf(3)]])
    expect(hex(tree.root())).toBe(referenceRoot([leafOf(3), leafOf(2)]))
  })

  it('fromLevels checks the shape', () => {
    const tree = StateTree.fromLeaves(fast, concat([leafOf(0), leafOf(1), leafOf(2)]))
    const levels = tree.toLevels()
    expect(levels.map((l) => l.length / 32).slice(0, 4)).toEqual([3, 2, 1, 1])
    expect(() => StateTree.fromLevels(fast, levels.slice(1))).toThrow(RangeError)
    expect(() => StateTree.fromLevels(fast, [levels[0]!, new Uint8Array(32), ...levels.slice(2)])).toThrow(RangeError)
    expect(() => StateTree.fromLeaves(fast, new Uint8Array(33))).toThrow(RangeError)
  })

  it('handles a tree of 5,000 leaves with one large batch and scattered updates', () => {
    const leaves = Array.from({ length: 5000 }, (_, i) => leafOf(i))
    const tree = new StateTree(fast)
    tree.setLeaves(leaves.map((l, i) => [i, l] as [number, Uint8Array]))
    const updates: [number, Uint8Array][] = [4999, 0, 2500, 17, 2500, 1].map((i, j) => [i, leafOf(100000 + j)])
    tree.setLeaves(updates)
    for (const [i, l] of updates) leaves[i] = l
    expect(hex(tree.root())).toBe(hex(StateTree.fromLeaves(H, concat(leaves)).root()))
  })
})

function concat(leaves: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(32 * leaves.length)
  leaves.forEach((l, i) => out.set(l, 32 * i))
  return out
}
