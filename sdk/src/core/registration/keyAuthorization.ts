import { DecodeError } from '../../errors/DecodeError.js'
import { decodeCanonical, encodeCanonical } from '../cbor/canonical.js'
import { cborUint } from '../tx/decodeSignedTx.js'

/** The tag that opens every key authorization; names the message and its version. */
export const KEY_AUTHORIZATION_TAG = 'lagoon/key/v1'

/**
 * What a wallet signs (CIP-8, through CIP-30 `signData`) to let a layer-2 key act for its account.
 * `epoch` is the account's key epoch before this authorization: 0 to register, the current one to rotate.
 */
export interface KeyAuthorization {
  readonly instance: Uint8Array
  readonly account: Uint8Array
  readonly l2Key: Uint8Array
  readonly terms: Uint8Array
  readonly epoch: number
}

/**
 * The canonical CBOR payload of a key authorization: pass its hex to CIP-30 `signData(address, hex)`.
 *
 * @example
 * const payload = encodeKeyAuthorization({ instance, account, l2Key, terms: termsHash, epoch: 0 })
 * const signed = await wallet.signData(addressHex, toHex(payload))
 */
export function encodeKeyAuthorization(a: KeyAuthorization): Uint8Array {
  return encodeCanonical([KEY_AUTHORIZATION_TAG, a.instance, a.account, a.l2Key, a.terms, a.epoch])
}

const MAX_PAYLOAD_BYTES = 256

/**
 * Decodes a key-authorization payload; throws only `DecodeError`.
 *
 * @example
 * decodeKeyAuthorization(encodeKeyAuthorization(a)).epoch // a.epoch
 */
export function decodeKeyAuthorization(bytes: Uint8Array): KeyAuthorization {
  const v = decodeCanonical(bytes, MAX_PAYLOAD_BYTES)
  const bad = (m: string) => new DecodeError('BAD_SHAPE', `key authorization: ${m}`)
  if (!Array.isArray(v) || v.length !== 6) throw bad('must be a list of 6 fields')
  const [tag, instance, account, l2Key, terms, epoch] = v
  if (tag !== KEY_AUTHORIZATION_TAG) throw bad(`must start with "${KEY_AUTHORIZATION_TAG}"`)
  const sized = (x: unknown, n: number, what: string): Uint8Array => {
    if (!(x instanceof Uint8Array) || x.length !== n) throw bad(`${what} must be ${n} bytes`)
    return x
  }
  const e = cborUint(epoch)
  if (e === undefined || e > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('epoch must be an unsigned integer')
  return {
    instance: sized(instance, 28, 'instance'),
    account: sized(account, 28, 'account'),
    l2Key: sized(l2Key, 32, 'layer-2 key'),
    terms: sized(terms, 32, 'terms hash'),
    epoch: Number(e),
  }
}
