import { Decoder } from 'cbor-x'
import { concatBytes, fromHex, toHex } from '../../core/bytes.js'
import { encodeCanonical } from '../../core/cbor/canonical.js'
import type { Blake2b256 } from '../../core/crypto/blake2b256.js'
import { paymentKeyHashOf } from '../../core/registration/verifyKeyAuthorization.js'
import { ClientError } from '../errors.js'
import { l2Signer, type L2Signer } from './L2Signer.js'

/**
 * Anything that signs CIP-8 messages like a CIP-30 wallet: `signData(addressHex, payloadHex)` returns
 * the COSE_Sign1 and COSE_Key as hex. A CIP-30 wallet API (`await window.cardano.eternl.enable()`)
 * is one as it is; in Node, {@link privateKeyWallet} makes one from a bech32 private key.
 *
 * @example
 * const wallet: Cip8Wallet = await window.cardano.nami.enable()
 */
export interface Cip8Wallet {
  signData(addressHex: string, payloadHex: string): Promise<{ signature: string; key: string }> | { signature: string; key: string }
}

/** Calls the wallet's `signData`, turning failures (user refusal, wrong address) into `ClientError('SIGNER_FAILED')`. */
export async function walletSign(wallet: Cip8Wallet, addressHex: string, payload: Uint8Array): Promise<{ signature: Uint8Array; key: Uint8Array }> {
  let r: { signature: string; key: string }
  try {
    r = await wallet.signData(addressHex, toHex(payload))
  } catch (e) {
    const info = (e as { info?: unknown; message?: unknown }) ?? {}
    throw new ClientError('SIGNER_FAILED', `the wallet did not sign: ${String(info.info ?? info.message ?? e)}`, { cause: e })
  }
  if (!r || typeof r.signature !== 'string' || typeof r.key !== 'string') {
    throw new ClientError('SIGNER_FAILED', 'the wallet returned no {signature, key}')
  }
  return { signature: fromHex(r.signature), key: fromHex(r.key) }
}

/**
 * The account (payment key hash, 28 bytes) of a hex Shelley address whose payment part is a key.
 *
 * @example
 * accountOfAddress(addressHex) // 28 bytes
 */
export function accountOfAddress(addressHex: string): Uint8Array {
  const pkh = paymentKeyHashOf(fromHex(addressHex))
  if (!pkh) throw new ClientError('INVALID_ARGUMENT', 'the address has no payment key (a script address cannot own a Lagoon account)')
  return pkh.slice()
}

/** The tag of the fixed message a wallet signs to derive its layer-2 key. */
export const L2_SEED_TAG = 'lagoon/l2-seed/v1'

const coseDecoder = new Decoder({ useRecords: false, mapsAsObjects: false })

/**
 * Derives the account's layer-2 signer from the wallet: the wallet signs (CIP-8) the fixed message
 * `["lagoon/l2-seed/v1", instance, account]` and the secret key is
 * `H(tag ‖ instance ‖ account ‖ ed25519 signature)`. Deterministic for a given wallet key, so it
 * needs no storage; see {@link L2Signer} for the trade-off against a generated key.
 *
 * @example
 * const signer = await deriveL2Signer({ wallet, address: addressHex, instance, hash: blake2b256Reference })
 */
export async function deriveL2Signer(params: {
  wallet: Cip8Wallet
  address: string
  instance: Uint8Array
  hash: Blake2b256
}): Promise<L2Signer> {
  const account = accountOfAddress(params.address)
  const tag = new TextEncoder().encode(L2_SEED_TAG)
  const payload = encodeCanonical([L2_SEED_TAG, params.instance, account])
  const { signature } = await walletSign(params.wallet, params.address, payload)
  let sig: unknown
  try {
    let sign1: unknown = coseDecoder.decode(signature)
    if (sign1 && typeof sign1 === 'object' && 'value' in sign1 && 'tag' in sign1) sign1 = (sign1 as { value: unknown }).value
    sig = Array.isArray(sign1) ? sign1[3] : undefined
  } catch {
    sig = undefined
  }
  if (!(sig instanceof Uint8Array) || sig.length !== 64) throw new ClientError('SIGNER_FAILED', 'the wallet did not return a COSE_Sign1 with an ed25519 signature')
  return l2Signer({ account, secretKey: params.hash(concatBytes(tag, params.instance, account, sig)) })
}
