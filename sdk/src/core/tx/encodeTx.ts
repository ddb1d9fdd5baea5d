import { encodeCanonical, type CborValue } from '../cbor/canonical.js'
import { TX_VERSION, type Action, type TxBody } from './types.js'

/** Action tags on the wire (docs/protocol.md). */
export const ACTION_TAG = { transfer: 0, withdraw: 1, put: 2, delete: 3 } as const

function actionToCbor(a: Action): CborValue {
  switch (a.type) {
    case 'transfer':
      return [ACTION_TAG.transfer, a.to, a.amount]
    case 'withdraw':
      return [ACTION_TAG.withdraw, a.amount]
    case 'put':
      return [ACTION_TAG.put, a.key, a.value]
    case 'delete':
      return [ACTION_TAG.delete, a.key]
  }
}

/**
 * The CBOR value of a transaction body, in the protocol's field order.
 *
 * @example
 * encodeCanonical(txBodyToCbor(body))
 */
export function txBodyToCbor(body: TxBody): CborValue {
  return [TX_VERSION, body.instance, body.signer, body.nonce, body.fee, body.actions.map(actionToCbor)]
}

/**
 * The canonical CBOR bytes of a transaction body: what is hashed into the tx id. Does not check
 * limits (see `checkTxBody`).
 *
 * @example
 * const id = hash(encodeTxBody(body))
 */
export function encodeTxBody(body: TxBody): Uint8Array {
  return encodeCanonical(txBodyToCbor(body))
}

/**
 * The canonical CBOR bytes of a signed transaction `[body, signature]`.
 *
 * @example
 * encodeSignedTx(body, signature) // what `POST /tx` takes
 */
export function encodeSignedTx(body: TxBody, signature: Uint8Array): Uint8Array {
  return encodeCanonical([txBodyToCbor(body), signature])
}
