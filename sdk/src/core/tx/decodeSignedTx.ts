import { DecodeError } from '../../errors/DecodeError.js'
import { decodeCanonical, type CborValue } from '../cbor/canonical.js'
import type { Blake2b256 } from '../crypto/blake2b256.js'
import type { Limits } from '../limits.js'
import { checkTxBody } from './checkTxBody.js'
import { ACTION_TAG } from './encodeTx.js'
import { TX_VERSION, type Action, type SignedTx, type TxBody } from './types.js'

// The signature's encoding, 0x58 0x40 followed by 64 bytes, closes every signed tx.
const SIGNATURE_CBOR_BYTES = 66

function bad(message: string): DecodeError {
  return new DecodeError('BAD_SHAPE', message)
}

/** An unsigned integer field as bigint, or undefined when the field is not an unsigned integer. */
export function cborUint(v: CborValue | undefined): bigint | undefined {
  if (typeof v === 'number') return BigInt(v)
  if (typeof v === 'bigint') return v
  return undefined
}

function bytesOf(v: CborValue | undefined, what: string, size?: number): Uint8Array {
  if (!(v instanceof Uint8Array)) throw bad(`${what} must be a byte string`)
  if (size !== undefined && v.length !== size) throw bad(`${what} must be ${size} bytes; got ${v.length}`)
  return v
}

function amountOf(v: CborValue | undefined, what: string): bigint {
  const n = cborUint(v)
  if (n === undefined) throw bad(`${what} must be an unsigned integer`)
  return n
}

function actionOf(v: CborValue, i: number): Action {
  if (!Array.isArray(v) || v.length < 2) throw bad(`action ${i} must be a list [tag, ...]`)
  const [tag, a, b] = v as CborValue[]
  const arity = (n: number) => {
    if (v.length !== n) throw bad(`action ${i} (tag ${String(tag)}) must have ${n} fields; got ${v.length}`)
  }
  switch (tag) {
    case ACTION_TAG.transfer:
      arity(3)
      return { type: 'transfer', to: bytesOf(a, `action ${i} recipient`, 28), amount: amountOf(b, `action ${i} amount`) }
    case ACTION_TAG.withdraw:
      arity(2)
      return { type: 'withdraw', amount: amountOf(a, `action ${i} amount`) }
    case ACTION_TAG.put:
      arity(3)
      return { type: 'put', key: bytesOf(a, `action ${i} key`), value: bytesOf(b, `action ${i} value`) }
    case ACTION_TAG.delete:
      arity(2)
      return { type: 'delete', key: bytesOf(a, `action ${i} key`) }
    default:
      throw bad(`action ${i} has unknown tag ${String(tag)}`)
  }
}

function bodyOf(v: CborValue | undefined): TxBody {
  if (!Array.isArray(v) || v.length !== 6) throw bad('body must be a list of 6 fields [version, instance, signer, nonce, fee, actions]')
  const [version, instance, signer, nonce, fee, actions] = v as CborValue[]
  if (version !== TX_VERSION) throw bad(`unsupported transaction version ${String(version)}; this node speaks ${TX_VERSION}`)
  const n = cborUint(nonce)
  if (n === undefined || n > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('nonce must be an unsigned integer below 2^53')
  if (!Array.isArray(actions)) throw bad('actions must be a list')
  return {
    instance: bytesOf(instance, 'instance', 28),
    signer: bytesOf(signer, 'signer', 28),
    nonce: Number(n),
    fee: amountOf(fee, 'fee'),
    actions: (actions as CborValue[]).map(actionOf),
  }
}

/**
 * Decodes untrusted bytes into a signed transaction, checking canonical form, shape and limits
 * (not the signature, nonce or balance: those need state, see `apply`). Throws only `DecodeError`
 * (codes `TOO_LARGE`, `MALFORMED_CBOR`, `NON_CANONICAL`, `BAD_SHAPE`, `LIMIT_EXCEEDED`); its work is
 * bounded by `limits.maxTxBytes`.
 *
 * @example
 * const tx = decodeSignedTx(bytes, blake2b256, DEFAULT_LIMITS)
 * toHex(tx.id)
 */
export function decodeSignedTx(bytes: Uint8Array, hash: Blake2b256, limits: Limits): SignedTx {
  const value = decodeCanonical(bytes, limits.maxTxBytes)
  if (!Array.isArray(value) || value.length !== 2) throw bad('a signed transaction is a list [body, signature]')
  const body = bodyOf(value[0])
  const signature = bytesOf(value[1], 'signature', 64)
  const problem = checkTxBody(body, limits)
  if (problem) throw new DecodeError(problem.code, problem.message)
  // Canonical form makes the body a contiguous slice: after the 1-byte list header, before the signature.
  const bodyBytes = bytes.slice(1, bytes.length - SIGNATURE_CBOR_BYTES)
  return { body, bodyBytes, id: hash(bodyBytes), signature: signature.slice(), bytes: bytes.slice() }
}

/**
 * Like `decodeSignedTx` but returns the error instead of throwing it.
 *
 * @example
 * const r = tryDecodeSignedTx(bytes, hash, DEFAULT_LIMITS)
 * if (!r.ok) reply(400, r.error.toJSON())
 */
export function tryDecodeSignedTx(
  bytes: Uint8Array,
  hash: Blake2b256,
  limits: Limits,
): { ok: true; tx: SignedTx } | { ok: false; error: DecodeError } {
  try {
    return { ok: true, tx: decodeSignedTx(bytes, hash, limits) }
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e }
    // Anything else escaping here is a bug in the decoder; still never let it out as another type.
    return { ok: false, error: new DecodeError('MALFORMED_CBOR', `undecodable input: ${String(e)}`, { cause: e }) }
  }
}
