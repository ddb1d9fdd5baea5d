import { ed25519 } from '@noble/curves/ed25519'

/** Verifies an ed25519 signature; never throws (malformed keys or signatures verify as false). */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean

/**
 * ed25519 verification in pure JavaScript (@noble/curves, ZIP-215 off: RFC 8032 strict). Runs
 * anywhere; Node gets a ~14× faster verifier from `createNodeEd25519Verify` in `sdk/src/node`.
 *
 * @example
 * verifyEd25519Noble(pub, txId, sig) // true
 */
export const verifyEd25519Noble: Ed25519Verify = (publicKey, message, signature) => {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false })
  } catch {
    return false
  }
}

/**
 * Signs `message` with a 32-byte ed25519 private key (seed).
 *
 * @example
 * const sig = signEd25519(secretKey, txId)
 */
export function signEd25519(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey)
}

/**
 * The 32-byte public key of a 32-byte ed25519 private key (seed).
 *
 * @example
 * const l2Key = ed25519PublicKey(secretKey)
 */
export function ed25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey)
}

/**
 * A fresh random 32-byte ed25519 private key (seed), from the platform's CSPRNG.
 *
 * @example
 * const sk = randomEd25519Key()
 */
export function randomEd25519Key(): Uint8Array {
  return ed25519.utils.randomPrivateKey()
}
