import { hashIntoOf, type Blake2b256, type HashInto } from '../crypto/blake2b256.js'
import { emptyHashes, TREE_DEPTH } from './emptyHashes.js'
import type { MerkleProof } from './proof.js'

const TWO_32 = 2 ** 32
// Appends grow a level by this factor (not 2×) so that a grown tree wastes at most ~25% of its bytes.
const GROWTH = 1.25
const MIN_CAPACITY_NODES = 64
/**
 * Levels 1..STORED_FROM−1 are not kept: a node there is hashed from the leaves when read (at most 3
 * hashes), and level STORED_FROM from its 8 leaves when they change (7 hashes instead of 3 along a
 * stored path). Those two levels are 3/4 of the leaves' bytes: 24 MB at 1,000,000 accounts, in the
 * live tree and in every copy the poster keeps of a committed one. (Dropping level 3 too saves 4 MB
 * more but doubled the root update of 10,000 touched leaves: scripts/bench/merkle.ts.)
 */
const STORED_FROM = 3

/**
 * The state tree: a sparse Merkle tree of depth 32 whose leaves 0..size−1 are populated (account
 * indices are handed out in creation order) and everything beyond is empty. Each level is one flat
 * byte buffer of 32-byte nodes covering only the populated prefix — level `l` holds
 * `ceil(size / 2^l)` nodes — except levels 1 and 2, which are hashed from the leaves when needed
 * (`STORED_FROM`), so 10^6 accounts take ~40 MB, and a batch of updates rehashes each dirty stored
 * node once.
 *
 * @example
 * const tree = new StateTree(await loadBlake2b256())
 * tree.setLeaves([[0, leafA], [1, leafB]]) // appends
 * tree.setLeaf(0, leafA2) // updates
 * verifyProof(hash, tree.root(), leafA2, tree.prove(0)) // true
 */
export class StateTree {
  readonly hash: Blake2b256
  private readonly hashInto: HashInto
  private readonly empty: readonly Uint8Array[]
  /** levels[l] holds nodeCount(l) nodes, possibly followed by spare capacity. */
  private readonly levels: Uint8Array[]
  private n = 0
  /** counts[l] = nodeCount(l), kept in step with `n` because the hot path reads it per node. */
  private readonly counts = new Float64Array(TREE_DEPTH + 1)
  private readonly pair = new Uint8Array(64)
  /** One 64-byte scratch per level up to STORED_FROM, so hashing a node from unstored children can recurse. */
  private readonly scratch = Array.from({ length: STORED_FROM + 1 }, () => new Uint8Array(64))

  /**
   * An empty tree.
   *
   * @example
   * new StateTree(blake2b256Reference).root() // empty(32)
   */
  constructor(hash: Blake2b256) {
    this.hash = hash
    this.hashInto = hashIntoOf(hash)
    this.empty = emptyHashes(hash)
    this.levels = Array.from({ length: TREE_DEPTH + 1 }, () => new Uint8Array(0))
  }

  /**
   * A tree whose leaves are `leafHashes` (32 bytes each, concatenated, index order), built in one pass.
   *
   * @example
   * StateTree.fromLeaves(hash, persistedLevel0).root()
   */
  static fromLeaves(hash: Blake2b256, leafHashes: Uint8Array): StateTree {
    if (leafHashes.length % 32 !== 0) throw new RangeError('leafHashes must be a whole number of 32-byte leaves')
    const size = leafHashes.length / 32
    if (size > TWO_32) throw new RangeError('more leaves than the tree holds')
    const tree = new StateTree(hash)
    tree.resize(size)
    ;(tree.levels[0] as Uint8Array).set(leafHashes)
    for (let l = STORED_FROM; l <= TREE_DEPTH; l++) {
      for (let k = 0; k < tree.nodeCount(l); k++) tree.rehash(l, k)
    }
    return tree
  }

  /**
   * Restores a tree from {@link toLevels} without rehashing. Checks the shape only (level `l` is
   * `ceil(size / 2^l)` nodes), not the hashes: compare `root()` with a root you trust.
   *
   * @example
   * const again = StateTree.fromLevels(hash, tree.toLevels())
   */
  static fromLevels(hash: Blake2b256, levels: readonly Uint8Array[]): StateTree {
    if (levels.length !== TREE_DEPTH + 1) throw new RangeError(`expected ${TREE_DEPTH + 1} levels, got ${levels.length}`)
    const level0 = levels[0] as Uint8Array
    if (level0.length % 32 !== 0 || level0.length / 32 > TWO_32) throw new RangeError('level 0 must be a whole number of 32-byte leaves')
    const tree = new StateTree(hash)
    tree.n = level0.length / 32
    for (let l = 0; l <= TREE_DEPTH; l++) tree.counts[l] = Math.ceil(tree.n / 2 ** l)
    levels.forEach((level, l) => {
      if (level.length !== 32 * tree.nodeCount(l)) {
        throw new RangeError(`level ${l} is ${level.length} bytes; ${tree.n} leaves need ${32 * tree.nodeCount(l)}`)
      }
      // Levels 1..STORED_FROM−1 are checked for shape and dropped (the file format keeps all 33).
      if (l === 0 || l >= STORED_FROM) tree.levels[l] = level.slice()
    })
    return tree
  }

  /**
   * An independent copy of this tree: its stored levels copied as they are (no hashing), where
   * `fromLevels(hash, toLevels())` would also hash the levels a tree does not keep.
   *
   * @example
   * const work = tree.clone(); work.setLeaf(i, zeroed) // tree unchanged
   */
  clone(): StateTree {
    const copy = new StateTree(this.hash)
    copy.n = this.n
    copy.counts.set(this.counts)
    this.levels.forEach((level, l) => {
      copy.levels[l] = level.slice(0, 32 * (l === 0 || l >= STORED_FROM ? this.nodeCount(l) : 0))
    })
    return copy
  }

  /**
   * The number of populated leaves (the next account index).
   *
   * @example
   * tree.setLeaf(tree.size, leaf) // appends
   */
  get size(): number {
    return this.n
  }

  /**
   * The root (level 32), a fresh copy; `empty(32)` for an empty tree.
   *
   * @example
   * toHex(tree.root())
   */
  root(): Uint8Array {
    return this.node(TREE_DEPTH, 0).slice()
  }

  /**
   * The leaf at index `i` (a copy); `empty(0)` = 32 zero bytes beyond `size`.
   *
   * @example
   * tree.getLeaf(0)
   */
  getLeaf(i: number): Uint8Array {
    checkIndex(i)
    return this.node(0, i).slice()
  }

  /**
   * Sets leaf `i` to `leafHash`; `i === size` appends. Same as `setLeaves([[i, leafHash]])`.
   *
   * @example
   * tree.setLeaf(tree.size, leafHash(hash, fields))
   */
  setLeaf(i: number, leafHash: Uint8Array): void {
    if (!Number.isInteger(i) || i < 0 || i > this.n || i >= TWO_32) throw new RangeError(`leaf index ${i} is not in [0, ${this.n}]`)
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== 32) throw new RangeError(`leaf ${i} is not 32 bytes`)
    if (i === this.n) this.resize(this.n + 1)
    ;(this.levels[0] as Uint8Array).set(leafHash, 32 * i)
    let k = i
    for (let l = 1; l <= TREE_DEPTH; l++) {
      k = Math.floor(k / 2)
      if (l >= STORED_FROM) this.rehash(l, k)
    }
  }

  /**
   * Applies many leaf updates, in order, then rehashes each internal node above them once. An index may
   * be at most the size reached so far in the batch (equal appends). All or nothing: on a bad update
   * (`RangeError`) the tree is unchanged.
   *
   * @example
   * tree.setLeaves(touched.map((i) => [i, leaves[i]]))
   */
  setLeaves(updates: Iterable<readonly [number, Uint8Array]>): void {
    const batch = Array.from(updates)
    let size = this.n
    for (const [i, leaf] of batch) {
      if (!Number.isInteger(i) || i < 0 || i > size) throw new RangeError(`leaf index ${i} is not in [0, ${size}]`)
      if (!(leaf instanceof Uint8Array) || leaf.length !== 32) throw new RangeError(`leaf ${i} is not 32 bytes`)
      if (i === size) size++
    }
    if (size > TWO_32) throw new RangeError('more leaves than the tree holds')
    if (batch.length === 0) return

    this.resize(size)
    const dirty = new Float64Array(batch.length)
    const level0 = this.levels[0] as Uint8Array
    batch.forEach(([i, leaf], j) => {
      level0.set(leaf, 32 * i)
      dirty[j] = i
    })
    if (!isSorted(dirty)) dirty.sort()
    let count = dedupe(dirty, dirty.length)
    for (let l = 1; l <= TREE_DEPTH; l++) {
      for (let j = 0; j < count; j++) dirty[j] = Math.floor((dirty[j] as number) / 2)
      count = dedupe(dirty, count)
      if (l >= STORED_FROM) for (let j = 0; j < count; j++) this.rehash(l, dirty[j] as number)
    }
  }

  /**
   * The membership proof of leaf `i` (also for `i ≥ size`, where the leaf is empty).
   *
   * @example
   * verifyProof(hash, tree.root(), tree.getLeaf(i), tree.prove(i)) // true
   */
  prove(i: number): MerkleProof {
    checkIndex(i)
    const found: Uint8Array[] = []
    let mask = 0
    for (let l = 0; l < TREE_DEPTH; l++) {
      // `>>> 0` because `^` works on int32, which would turn indices from 2^31 up negative.
      const sibling = (Math.floor(i / 2 ** l) ^ 1) >>> 0
      if (sibling >= this.nodeCount(l)) continue
      const node = this.node(l, sibling)
      if (equal32(node, this.empty[l] as Uint8Array)) continue
      found.push(node)
      mask |= 1 << l
    }
    const siblings = new Uint8Array(32 * found.length)
    found.forEach((node, j) => siblings.set(node, 32 * j))
    return { index: i, mask: mask >>> 0, siblings }
  }

  /**
   * Copies of the 33 level buffers, each exactly `ceil(size / 2^l)` nodes, for {@link fromLevels}.
   *
   * @example
   * const levels = tree.toLevels() // persist levels[l] for l = 0..32
   */
  toLevels(): Uint8Array[] {
    const out = this.levels.map((level, l) => level.slice(0, 32 * this.nodeCount(l)))
    for (let l = 1; l < STORED_FROM; l++) {
      const level = (out[l] = new Uint8Array(32 * this.nodeCount(l)))
      for (let k = 0; k < this.nodeCount(l); k++) this.hashChildren(out[l - 1] as Uint8Array, l, k, level, 32 * k)
    }
    return out
  }

  /** How many nodes of level `l` lie over the populated prefix. */
  private nodeCount(l: number): number {
    return this.counts[l] as number
  }

  private resize(size: number): void {
    this.n = size
    for (let l = 0; l <= TREE_DEPTH; l++) {
      this.counts[l] = Math.ceil(size / 2 ** l)
      if (l === 0 || l >= STORED_FROM) this.reserve(l, this.counts[l] as number)
    }
  }

  /** Node `k` of level `l` (a view, or a fresh copy on an unstored level), or `empty(l)` outside the populated prefix. */
  private node(l: number, k: number): Uint8Array {
    if (k >= this.nodeCount(l)) return this.empty[l] as Uint8Array
    if (l > 0 && l < STORED_FROM) {
      const out = new Uint8Array(32)
      this.computeInto(l, k, out, 0)
      return out
    }
    return (this.levels[l] as Uint8Array).subarray(32 * k, 32 * k + 32)
  }

  /**
   * Hashes node `k` (< nodeCount(l)) of level `l` (1 ≤ l ≤ STORED_FROM) from the leaves into `out`
   * at `at`: the levels between are not stored.
   */
  private computeInto(l: number, k: number, out: Uint8Array, at: number): void {
    if (l === 1) return this.hashChildren(this.levels[0] as Uint8Array, 1, k, out, at)
    const pair = this.scratch[l] as Uint8Array
    this.computeInto(l - 1, 2 * k, pair, 0)
    if (2 * k + 1 < this.nodeCount(l - 1)) this.computeInto(l - 1, 2 * k + 1, pair, 32)
    else pair.set(this.empty[l - 1] as Uint8Array, 32)
    this.hashInto(pair, 0, 64, out, at)
  }

  /** Hashes node `k` of level `l` from `below` (level l−1, stored in full) into `out` at `at`. */
  private hashChildren(below: Uint8Array, l: number, k: number, out: Uint8Array, at: number): void {
    if (2 * k + 1 < this.nodeCount(l - 1)) {
      // Both children are adjacent in the level below: hash them in place.
      this.hashInto(below, 64 * k, 64, out, at)
    } else {
      this.pair.set(below.subarray(64 * k, 64 * k + 32), 0)
      this.pair.set(this.empty[l - 1] as Uint8Array, 32)
      this.hashInto(this.pair, 0, 64, out, at)
    }
  }

  private rehash(l: number, k: number): void {
    const out = this.levels[l] as Uint8Array
    if (l === STORED_FROM) this.computeInto(l, k, out, 32 * k)
    else this.hashChildren(this.levels[l - 1] as Uint8Array, l, k, out, 32 * k)
  }

  private reserve(l: number, nodes: number): void {
    const level = this.levels[l] as Uint8Array
    if (32 * nodes <= level.length) return
    const grown = Math.max(nodes, Math.ceil((level.length / 32) * GROWTH), MIN_CAPACITY_NODES)
    const next = new Uint8Array(32 * Math.min(grown, Math.ceil(TWO_32 / 2 ** l)))
    next.set(level)
    this.levels[l] = next
  }
}

function checkIndex(i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= TWO_32) throw new RangeError(`leaf index ${i} is not in [0, 2^32)`)
}

/** Removes adjacent duplicates from the sorted prefix `a[0..count)` in place; returns the new count. */
function dedupe(a: Float64Array, count: number): number {
  if (count === 0) return 0
  let w = 1
  for (let r = 1; r < count; r++) if (a[r] !== a[w - 1]) a[w++] = a[r] as number
  return w
}

function isSorted(a: Float64Array): boolean {
  for (let j = 1; j < a.length; j++) if ((a[j] as number) < (a[j - 1] as number)) return false
  return true
}

function equal32(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false
  return true
}
