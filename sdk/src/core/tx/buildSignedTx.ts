import type { Blake2b256 } from '../crypto/blake2b256.js'
import { signEd25519 } from '../crypto/ed25519.js'
import { DEFAULT_LIMITS, type Limits } from '../limits.js'
import { checkTxBody } from './checkTxBody.js'
import { encodeSignedTx, encodeTxBody } from './encodeTx.js'
import { InvalidTxError } from './InvalidTxError.js'
import type { SignedTx, TxBody } from './types.js'

/**
 * Checks a body against the limits, computes its id and signs it with the account's layer-2 key.
 * Throws `InvalidTxError` (codes `BAD_SHAPE`, `LIMIT_EXCEEDED`) for a body the protocol refuses.
 *
 * @example
 * const tx = buildSignedTx(
 *   { instance, signer: alice, nonce: 0, fee: 0n, actions: [{ type: 'transfer', to: bob, amount: 5_000_000n }] },
 *   aliceL2SecretKey,
 *   blake2b256,
 * )
 * await fetch(`${node}/tx`, { method: 'POST', body: tx.bytes })
 */
export function buildSignedTx(body: TxBody, secretKey: Uint8Array, hash: Blake2b256, limits: Limits = DEFAULT_LIMITS): SignedTx {
  const problem = checkTxBody(body, limits)
  if (problem) throw new InvalidTxError(problem.code, problem.message)
  const bodyBytes = encodeTxBody(body)
  const id = hash(bodyBytes)
  const signature = signEd25519(secretKey, id)
  const bytes = encodeSignedTx(body, signature)
  if (bytes.length > limits.maxTxBytes) {
    throw new InvalidTxError('LIMIT_EXCEEDED', `the signed transaction is ${bytes.length} bytes; at most ${limits.maxTxBytes}`)
  }
  return { body, bodyBytes, id, signature, bytes }
}
