import { verifyData } from '@lucid-evolution/sign_data'
import { Decoder } from 'cbor-x'
import { bytesEqual } from '../cbor/canonical.js'
import { toHex } from '../bytes.js'
import { decodeKeyAuthorization, type KeyAuthorization } from './keyAuthorization.js'

/** A CIP-8 signature as CIP-30 `signData` returns it: COSE_Sign1 and COSE_Key, as bytes. */
export interface Cip8Signature {
  readonly signature: Uint8Array
  readonly key: Uint8Array
}

const MAX_COSE_BYTES = 4096
// COSE comes from wallets, not from us: a permissive decoder, bounded by size, with errors caught.
const coseDecoder = new Decoder({ useRecords: false, mapsAsObjects: false })

function coseParts(signature: Uint8Array): { address: Uint8Array; payload: Uint8Array } | undefined {
  if (signature.length > MAX_COSE_BYTES) return undefined
  try {
    let sign1: unknown = coseDecoder.decode(signature)
    if (sign1 && typeof sign1 === 'object' && 'tag' in sign1 && 'value' in sign1) sign1 = (sign1 as { value: unknown }).value
    if (!Array.isArray(sign1) || sign1.length !== 4) return undefined
    const [protectedBytes, , payload] = sign1 as unknown[]
    if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array)) return undefined
    const headers: unknown = coseDecoder.decode(protectedBytes)
    if (!(headers instanceof Map)) return undefined
    const address: unknown = headers.get('address')
    if (!(address instanceof Uint8Array)) return undefined
    return { address, payload }
  } catch {
    return undefined
  }
}

/**
 * The payment key hash of a Shelley address (base, pointer or enterprise) whose payment part is a
 * key, else undefined.
 *
 * @example
 * paymentKeyHashOf(fromHex(addressHex)) // 28 bytes
 */
export function paymentKeyHashOf(address: Uint8Array): Uint8Array | undefined {
  if (address.length < 29) return undefined
  const type = address[0]! >> 4
  // Types 0, 2, 4, 6 have a key-hash payment credential (odd types are script credentials).
  if (type > 7 || type % 2 !== 0) return undefined
  return address.subarray(1, 29)
}

/** The outcome of checking a CIP-8 key authorization. */
export type KeyAuthorizationCheck =
  | { readonly ok: true; readonly authorization: KeyAuthorization; readonly address: Uint8Array }
  | { readonly ok: false; readonly message: string }

/**
 * Checks that `signed` is a CIP-8 signature, by the wallet key whose hash is `account`, over a
 * well-formed key authorization for `account`, signed for an address whose payment credential is
 * that key. Verification itself is Lucid's `verifyData`. Never throws.
 *
 * @example
 * const r = verifyKeyAuthorization(account, { signature, key })
 * if (r.ok) r.authorization.l2Key
 */
export function verifyKeyAuthorization(account: Uint8Array, signed: Cip8Signature): KeyAuthorizationCheck {
  const parts = coseParts(signed.signature)
  if (!parts) return { ok: false, message: 'the signature is not a COSE_Sign1 with an address header' }
  const pkh = paymentKeyHashOf(parts.address)
  if (!pkh || !bytesEqual(pkh, account)) {
    return { ok: false, message: "the signed address's payment credential is not the account's key hash" }
  }
  let authorization: KeyAuthorization
  try {
    authorization = decodeKeyAuthorization(parts.payload)
  } catch (e) {
    return { ok: false, message: (e as Error).message }
  }
  if (!bytesEqual(authorization.account, account)) return { ok: false, message: 'the authorization names another account' }
  let valid = false
  try {
    valid = verifyData(toHex(parts.address), toHex(account), toHex(parts.payload), {
      signature: toHex(signed.signature),
      key: toHex(signed.key),
    })
  } catch {
    valid = false
  }
  if (!valid) return { ok: false, message: "the CIP-8 signature does not verify with the account's key" }
  return { ok: true, authorization, address: parts.address.slice() }
}
