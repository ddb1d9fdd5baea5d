import type { Ed25519Verify } from '../core/crypto/ed25519.js'

/**
 * A batch of ed25519 checks, packed: entry `i` is public key `keys[32i..]`, message `messages[32i..]`
 * (a 32-byte tx id) and signature `signatures[64i..]`.
 */
export interface VerifyBatch {
  readonly count: number
  readonly keys: Uint8Array
  readonly messages: Uint8Array
  readonly signatures: Uint8Array
}

/**
 * Checks ed25519 signatures in batches, possibly off the main thread: what `auditLog` uses to check
 * transaction signatures ahead of the replay. Resolves with one byte per entry, 1 = valid. The browser
 * path is {@link pureBatchVerifier}; Node can use `createWorkerBatchVerifier` (worker threads on
 * `node:crypto`, in `sdk/src/audit/node/`).
 *
 * @example
 * const verifier = pureBatchVerifier(verifyEd25519Noble)
 * const ok = await verifier.verifyBatch(batch) // Uint8Array of 0/1
 */
export interface BatchVerifier {
  verifyBatch(batch: VerifyBatch): Promise<Uint8Array>
  /** Releases threads, if any. */
  close?(): Promise<void>
}

/**
 * A {@link BatchVerifier} on the calling thread with any `Ed25519Verify`: runs anywhere (browsers
 * included).
 *
 * @example
 * const verifier = pureBatchVerifier(createNodeEd25519Verify()) // or verifyEd25519Noble in a browser
 */
export function pureBatchVerifier(verify: Ed25519Verify): BatchVerifier {
  return {
    verifyBatch: async (b) => {
      const out = new Uint8Array(b.count)
      for (let i = 0; i < b.count; i++) {
        out[i] = verify(b.keys.subarray(32 * i, 32 * i + 32), b.messages.subarray(32 * i, 32 * i + 32), b.signatures.subarray(64 * i, 64 * i + 64)) ? 1 : 0
      }
      return out
    },
  }
}
