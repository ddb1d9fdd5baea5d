import { signData } from '@lucid-evolution/sign_data'
import type { Cip8Wallet } from './Cip8Wallet.js'

/**
 * A {@link Cip8Wallet} from a bech32 ed25519 private key (`ed25519_sk…`), signing exactly as a CIP-30
 * wallet's `signData` does (the same signer `signKeyAuthorization` uses): for Node scripts, bots and
 * tests. In a browser, pass the user's CIP-30 wallet API instead; never put a wallet key in a web page.
 *
 * @example
 * const wallet = privateKeyWallet(process.env.PAYMENT_SKEY!)
 * await client.register({ wallet, address: addressHex, signer })
 */
export function privateKeyWallet(privateKeyBech32: string): Cip8Wallet {
  return {
    signData: (addressHex, payloadHex) => {
      const r = signData(addressHex, payloadHex, privateKeyBech32)
      return { signature: r.signature, key: r.key }
    },
  }
}
