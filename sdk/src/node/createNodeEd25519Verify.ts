import { verify, type KeyObject } from 'node:crypto'
import type { Ed25519Verify } from '../core/crypto/ed25519.js'
import { ED25519_KEY_CACHE_SIZE, ed25519KeyObject } from './ed25519KeyObject.js'

/**
 * An ed25519 verifier on `node:crypto` (OpenSSL): ~14× @noble/curves here. Keeps prepared
 * `KeyObject`s for the last `cacheSize` keys it met (a miss costs one ~8 µs import, {@link ed25519KeyObject}).
 * Never throws; a malformed key or signature verifies as false.
 *
 * @example
 * const ctx = { params, hash: await loadBlake2b256(), verifyEd25519: createNodeEd25519Verify() }
 */
export function createNodeEd25519Verify(cacheSize = ED25519_KEY_CACHE_SIZE): Ed25519Verify {
  const cache = new Map<string, KeyObject>()
  return (publicKey, message, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false
    const k = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('latin1')
    let key = cache.get(k)
    try {
      if (!key) {
        key = ed25519KeyObject(publicKey)
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!)
        cache.set(k, key)
      }
      return verify(null, message, key, signature)
    } catch {
      return false
    }
  }
}
