import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto'
import { CML } from '@lucid-evolution/lucid'
import { fromHex, toHex } from '../../../sdk/src/core/bytes.js'
import type { L2Signer } from '../../../sdk/src/client/signers/L2Signer.js'

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex')

/**
 * A throwaway layer-2 account of the load generator: a fresh layer-1 key (its payment key hash is the
 * account; it signs the CIP-8 registration) and a layer-2 key that signs transfers with `node:crypto`.
 *
 * @example
 * const a = LoadAccount.generate()
 * await client.register({ wallet: privateKeyWallet(a.walletKey), address: a.addressHex, l2Key: a.signer.publicKey })
 */
export class LoadAccount {
  /** The next nonce to sign with (kept locally; re-read from the node after a refusal). */
  nonce = 0

  private constructor(
    /** bech32 `ed25519_sk…` of the layer-1 key. */
    readonly walletKey: string,
    /** The account id: the layer-1 payment key hash, hex. */
    readonly account: string,
    /** Enterprise address on a test network, hex (what CIP-30 `getChangeAddress` returns). */
    readonly addressHex: string,
    readonly signer: L2Signer,
  ) {}

  /** A new account with random keys. */
  static generate(): LoadAccount {
    const sk = CML.PrivateKey.generate_ed25519()
    const account = sk.to_public().hash().to_hex()
    const key: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, randomBytes(32)]), format: 'der', type: 'pkcs8' })
    const publicKey = new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32))
    const signer: L2Signer = { account: fromHex(account), publicKey, signTxId: (id) => new Uint8Array(sign(null, id, key)) }
    return new LoadAccount(sk.to_bech32(), account, `60${account}`, signer)
  }

  /** The account's public layer-2 key, hex. */
  get l2Key(): string {
    return toHex(this.signer.publicKey)
  }
}
