import { signData } from '@lucid-evolution/sign_data'
import { fromHex, toHex } from '../bytes.js'
import { encodeKeyAuthorization, type KeyAuthorization } from './keyAuthorization.js'
import type { Cip8Signature } from './verifyKeyAuthorization.js'

/**
 * Signs a key authorization with a wallet's payment private key (bech32 `ed25519_sk…`), exactly as a
 * CIP-30 wallet's `signData` would: for Node, scripts and tests. In a browser, call the wallet's
 * `signData(addressHex, toHex(encodeKeyAuthorization(a)))` instead.
 *
 * @example
 * const signed = signKeyAuthorization(addressHex, { instance, account, l2Key, terms, epoch: 0 }, paymentKey)
 */
export function signKeyAuthorization(addressHex: string, authorization: KeyAuthorization, privateKeyBech32: string): Cip8Signature {
  const signed = signData(addressHex, toHex(encodeKeyAuthorization(authorization)), privateKeyBech32)
  return { signature: fromHex(signed.signature), key: fromHex(signed.key) }
}
