import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import type { Ed25519Verify } from '../core/crypto/ed25519.js'

// DER SubjectPublicKeyInfo header for a raw 32-byte ed25519 key (RFC 8410).
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/**
 * An ed25519 verifier on `node:crypto` (OpenSSL): ~14× @noble/curves here. Keeps prepared
 * `KeyObject`s for the most recent `cacheSize` keys, since parsing a key costs as much as a verify.
 * Never throws; a malformed key or signature verifies as false.
 *
 * @example
 * const ctx = { params, hash: await loadBlake2b256(), verifyEd25519: createNodeEd25519Verify() }
 */
export function createNodeEd25519Verify(cacheSize = 100_000): Ed25519Verify {
  const cache = new Map<string, KeyObject>()
  return (publicKey, message, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false
    const k = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('latin1')
    let key = cache.get(k)
    try {
      if (!key) {
        key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' })
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!)
        cache.set(k, key)
      }
      return verify(null, message, key, signature)
    } catch {
      return false
    }
  }
}
