import { fromHex } from '../../core/bytes.js'
import { ed25519PublicKey, randomEd25519Key, signEd25519 } from '../../core/crypto/ed25519.js'
import { ClientError } from '../errors.js'

/**
 * What signs an account's layer-2 transactions: the account id and its layer-2 ed25519 key. `signTxId`
 * signs a 32-byte tx id; it may be async (a key held in a worker, an extension, an HSM).
 *
 * ## Where the layer-2 key comes from, and where it is kept
 *
 * The layer-2 key is not the wallet key: the wallet authorizes it once, through a CIP-8 message
 * (`register`, `rotateKey`), and from then on the app signs with it without any wallet pop-up.
 * Lagoon's SDK supports two ways to get it, and recommends the first:
 *
 * 1. **Generated and kept by the app** (`l2Signer({ account, secretKey: randomEd25519Key() })`): a fresh
 *    random key, stored where the app keeps secrets (the OS keychain in Node, IndexedDB or an
 *    extension's storage in a browser). Nothing else can recompute it; if it is lost, the user rotates
 *    it with one wallet signature (`rotateKey`), and no funds are at risk: layer-1 exits are always
 *    authorized by the wallet, and a key can only spend layer-2 balance.
 * 2. **Derived from the wallet** (`deriveL2Signer`): `secret = BLAKE2b-256("lagoon/l2-seed/v1" ‖
 *    instance ‖ account ‖ sig)` where `sig` is the ed25519 signature inside the COSE_Sign1 that the wallet
 *    returns for a fixed message naming the instance and account. ed25519 signatures are deterministic,
 *    so the same wallet yields the same key on any device, with one pop-up per session and nothing to
 *    store. The cost: any site that gets the user to sign that exact message learns the key, so the
 *    message says what it is for, and it must only ever be asked for by the app of this instance.
 *
 * @example
 * const signer = l2Signer({ account: accountHex, secretKey: randomEd25519Key() })
 * await client.register({ signer, wallet: cip30Signer(api, addressHex) })
 */
export interface L2Signer {
  /** The account (layer-1 payment key hash), 28 bytes. */
  readonly account: Uint8Array
  /** The layer-2 public key, 32 bytes. */
  readonly publicKey: Uint8Array
  /** ed25519 over the 32-byte tx id. */
  signTxId(txId: Uint8Array): Uint8Array | Promise<Uint8Array>
}

/**
 * A layer-2 signer from an account and a 32-byte ed25519 secret key (seed). See {@link L2Signer} for
 * where the key should come from.
 *
 * @example
 * const secretKey = randomEd25519Key() // keep it: the app's storage
 * const signer = l2Signer({ account: 'ab12…', secretKey })
 */
export function l2Signer(params: { account: Uint8Array | string; secretKey: Uint8Array | string }): L2Signer {
  const account = typeof params.account === 'string' ? fromHex(params.account) : params.account
  const secretKey = typeof params.secretKey === 'string' ? fromHex(params.secretKey) : params.secretKey.slice()
  if (account.length !== 28) throw new ClientError('INVALID_ARGUMENT', `the account must be 28 bytes; got ${account.length}`)
  if (secretKey.length !== 32) throw new ClientError('INVALID_ARGUMENT', `the layer-2 secret key must be 32 bytes; got ${secretKey.length}`)
  const publicKey = ed25519PublicKey(secretKey)
  return { account, publicKey, signTxId: (txId) => signEd25519(secretKey, txId) }
}

/**
 * A new layer-2 signer with a fresh random key; returns the secret so that the app can store it.
 *
 * @example
 * const { signer, secretKey } = generateL2Signer(account)
 * localStore.set('lagoon-l2', toHex(secretKey))
 */
export function generateL2Signer(account: Uint8Array | string): { signer: L2Signer; secretKey: Uint8Array } {
  const secretKey = randomEd25519Key()
  return { signer: l2Signer({ account, secretKey }), secretKey }
}
