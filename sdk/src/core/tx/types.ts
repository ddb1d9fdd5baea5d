/** Move `amount` lovelace from the signer's balance to account `to`. */
export interface TransferAction {
  readonly type: 'transfer'
  readonly to: Uint8Array
  readonly amount: bigint
}
/** Move `amount` lovelace from the signer's balance to its pending exit, to be paid on layer 1. */
export interface WithdrawAction {
  readonly type: 'withdraw'
  readonly amount: bigint
}
/** Create or replace the record `key` in the signer's namespace. */
export interface PutAction {
  readonly type: 'put'
  readonly key: Uint8Array
  readonly value: Uint8Array
}
/** Delete the record `key` from the signer's namespace. */
export interface DeleteAction {
  readonly type: 'delete'
  readonly key: Uint8Array
}
/** One step of a layer-2 transaction. */
export type Action = TransferAction | WithdrawAction | PutAction | DeleteAction

/** The signed part of a layer-2 transaction (see docs/protocol.md, "Layer-2 transaction"). */
export interface TxBody {
  /** The instance id: the state token's policy id, 28 bytes. */
  readonly instance: Uint8Array
  /** The signer's account: its layer-1 payment key hash, 28 bytes. */
  readonly signer: Uint8Array
  /** Must equal the account's nonce when applied. */
  readonly nonce: number
  /** Lovelace paid to the operator's account. */
  readonly fee: bigint
  readonly actions: readonly Action[]
}

/** A decoded, well-formed signed transaction (its signature is checked by `apply`, against state). */
export interface SignedTx {
  readonly body: TxBody
  /** The canonical CBOR of `body`. */
  readonly bodyBytes: Uint8Array
  /** `blake2b-256(bodyBytes)`. */
  readonly id: Uint8Array
  /** ed25519 over `id`, 64 bytes. */
  readonly signature: Uint8Array
  /** The canonical CBOR of the whole signed transaction. */
  readonly bytes: Uint8Array
}

/** The protocol's version of the transaction format. */
export const TX_VERSION = 1
