import type { Blake2b256 } from '../core/crypto/blake2b256.js'
import { toHex } from '../core/bytes.js'
import { StateTree } from '../core/merkle/StateTree.js'
import type { LeafFields } from '../core/state/leafBytes.js'
import { leafHash } from '../core/state/leafHash.js'
import type { ExitProof } from './data.js'

/**
 * The exits of one withdraw tx, each proved against the tree as the previous exits left it (the
 * validator zeroes each exit in turn), and the final root. `tree` is not modified.
 *
 * @example
 * const { exits, root } = sequentialExits(hash, tree, [{ index: 3, leaf }], false)
 */
export function sequentialExits(
  hash: Blake2b256,
  tree: StateTree,
  items: readonly { index: number; leaf: LeafFields }[],
  exodus: boolean,
): { exits: ExitProof[]; root: string } {
  const t = tree.clone()
  const exits = items.map(({ index, leaf }) => {
    const proof = t.prove(index)
    t.setLeaf(index, leafHash(hash, { ...leaf, pendingExit: 0n, balance: exodus ? 0n : leaf.balance }))
    return { leaf, proof }
  })
  return { exits, root: toHex(t.root()) }
}
