import type { Blake2b256 } from '../crypto/blake2b256.js'
import type { Ed25519Verify } from '../crypto/ed25519.js'
import type { Limits } from '../limits.js'

/** An account as the state holds it. Immutable: `apply` returns new values as changes. */
export interface AccountState {
  /** The layer-1 payment key hash, 28 bytes. */
  readonly id: Uint8Array
  /** Its leaf index in the state tree, given in creation order from 0. */
  readonly index: number
  /** The authorized layer-2 ed25519 key, or null before registration (an account made by a deposit). */
  readonly l2Key: Uint8Array | null
  /** How many times a key was authorized. */
  readonly keyEpoch: number
  readonly balance: bigint
  readonly pendingExit: bigint
  /** The number of layer-2 transactions applied; the next one must carry this nonce. */
  readonly nonce: number
  /** How many records the account holds (for the limit; the records themselves are separate). */
  readonly recordCount: number
}

/**
 * Read access to the state: all `apply` needs. The sequencer implements it over SQLite, tests and
 * auditors in memory (`MemoryState`), so every one of them runs the same transition.
 */
export interface StateView {
  getAccount(id: Uint8Array): AccountState | undefined
  getRecord(account: Uint8Array, key: Uint8Array): Uint8Array | undefined
  /** How many accounts exist: the index the next new account gets. */
  accountCount(): number
  isDepositCredited(txHash: Uint8Array, index: number): boolean
}

/** One write that applying a task makes. The caller writes them in order, atomically. */
export type StateChange =
  | { readonly type: 'account'; readonly account: AccountState; readonly created: boolean }
  | { readonly type: 'record'; readonly account: Uint8Array; readonly key: Uint8Array; readonly value: Uint8Array | null }
  | { readonly type: 'deposit'; readonly txHash: Uint8Array; readonly index: number }

/** The parameters of a Lagoon instance that the transition depends on. */
export interface ProtocolParams {
  /** The instance id (28 bytes): the state token's policy id. */
  readonly instance: Uint8Array
  /** The operator's account, which receives fees. */
  readonly operator: Uint8Array
  /** BLAKE2b-256 of the terms of service a registration must accept. */
  readonly terms: Uint8Array
  readonly limits: Limits
}

/** Everything `apply` needs besides the state and the task: parameters and crypto (pure functions). */
export interface ApplyContext {
  readonly params: ProtocolParams
  readonly hash: Blake2b256
  readonly verifyEd25519: Ed25519Verify
}
