import type { SignedTx } from '../tx/types.js'

/** A layer-2 transaction, as submitted. */
export interface TxTask {
  readonly kind: 'tx'
  readonly tx: SignedTx
}
/** A CIP-8 key authorization that registers an account (epoch 0) or rotates its key. */
export interface KeyTask {
  readonly kind: 'register' | 'rotate'
  readonly account: Uint8Array
  /** COSE_Sign1 bytes. */
  readonly signature: Uint8Array
  /** COSE_Key bytes. */
  readonly key: Uint8Array
}
/** A layer-1 deposit (output `txHash#index` at the deposit address) credited to `owner`. */
export interface DepositTask {
  readonly kind: 'deposit'
  readonly txHash: Uint8Array
  readonly index: number
  readonly owner: Uint8Array
  readonly amount: bigint
}
/** An exit of `amount` paid to `account` on layer 1 by transaction `txHash`. */
export interface ExitPaidTask {
  readonly kind: 'exitPaid'
  readonly account: Uint8Array
  readonly amount: bigint
  readonly txHash: Uint8Array
}
/** One entry of the task log: what `apply` takes. */
export type Task = TxTask | KeyTask | DepositTask | ExitPaidTask

/** Task tags on the wire (docs/protocol.md, "Tasks"). */
export const TASK_TAG = { tx: 0, register: 1, rotate: 2, deposit: 3, exitPaid: 4 } as const
