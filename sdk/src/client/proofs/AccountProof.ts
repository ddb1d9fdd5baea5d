import type { MerkleProof } from '../../core/merkle/proof.js'
import type { LeafFields } from '../../core/state/leafBytes.js'

/** Where a proof comes from: the node, a relay (same API path), or a replay of the task log. */
export type ProofSource =
  | 'node'
  | { readonly relay: string }
  /** Replay the node's task log here, with the protocol core. */
  | 'local'
  /** Replay these log entries (a saved copy, a relay's `/log`): works with the node gone. */
  | { readonly log: Iterable<{ seq: number; bytes: Uint8Array; head: Uint8Array }> | AsyncIterable<{ seq: number; bytes: Uint8Array; head: Uint8Array }> }

/** An account's leaf and its Merkle proof under a root. */
export interface AccountProof {
  /** The batch the root was committed in. */
  readonly batch: number
  /** The root the proof is against (hex). */
  readonly root: string
  readonly leaf: LeafFields
  readonly proof: MerkleProof
  /** Where it came from: `node`, `relay` or `local`. */
  readonly source: 'node' | 'relay' | 'local'
  /** True when checked against the anchor's root read from layer 1 (the proof a withdrawal needs). */
  readonly verified: boolean
}
