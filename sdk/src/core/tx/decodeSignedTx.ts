import { DecodeError } from '../../errors/DecodeError.js'
import { checkSize, type CborValue } from '../cbor/canonical.js'
import { CanonicalReader } from '../cbor/CanonicalReader.js'
import type { Blake2b256 } from '../crypto/blake2b256.js'
import type { Limits } from '../limits.js'
import { checkTxBody } from './checkTxBody.js'
import { ACTION_TAG } from './encodeTx.js'
import { TX_VERSION, type Action, type SignedTx, type TxBody } from './types.js'

/** An unsigned integer field as bigint, or undefined when the field is not an unsigned integer. */
export function cborUint(v: CborValue | undefined): bigint | undefined {
  if (typeof v === 'number') return BigInt(v)
  if (typeof v === 'bigint') return v
  return undefined
}

function arity(n: number, k: number, i: number, tag: number): void {
  if (n !== k) throw new DecodeError('BAD_SHAPE', `action ${i} (tag ${tag}) must have ${k} fields; got ${n}`)
}

function readAction(r: CanonicalReader, i: number): Action {
  const n = r.array('an action')
  const tag = r.uintNumber('action tag')
  switch (tag) {
    case ACTION_TAG.transfer:
      arity(n, 3, i, tag)
      return { type: 'transfer', to: r.bytes('recipient', 28), amount: r.uint('amount') }
    case ACTION_TAG.withdraw:
      arity(n, 2, i, tag)
      return { type: 'withdraw', amount: r.uint('amount') }
    case ACTION_TAG.put:
      arity(n, 3, i, tag)
      return { type: 'put', key: r.bytes('record key'), value: r.bytes('record value') }
    case ACTION_TAG.delete:
      arity(n, 2, i, tag)
      return { type: 'delete', key: r.bytes('record key') }
    default:
      throw new DecodeError('BAD_SHAPE', `action ${i} has unknown tag ${tag}`)
  }
}

function readBody(r: CanonicalReader, limits: Limits): TxBody {
  r.arrayOf(6, 'the body [version, instance, signer, nonce, fee, actions]')
  const version = r.uintNumber('version')
  if (version !== TX_VERSION) throw new DecodeError('BAD_SHAPE', `unsupported transaction version ${version}; this node speaks ${TX_VERSION}`)
  const instance = r.bytes('instance', 28)
  const signer = r.bytes('signer', 28)
  const nonce = r.uintNumber('nonce')
  const fee = r.uint('fee')
  const count = r.array('actions')
  // Bound the work before reading the actions: the limit is checked again with the rest below.
  if (count > limits.maxActions) {
    throw new DecodeError('LIMIT_EXCEEDED', `a transaction has 1 to ${limits.maxActions} actions; got ${count}`)
  }
  const actions: Action[] = new Array(count)
  for (let i = 0; i < count; i++) actions[i] = readAction(r, i)
  return { instance, signer, nonce, fee, actions }
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
  checkSize(bytes, limits.maxTxBytes)
  // One private copy; every field is a view on it (the hot path allocates once, not six times).
  const own = bytes.slice()
  const r = new CanonicalReader(own, true)
  r.arrayOf(2, 'a signed transaction [body, signature]')
  const bodyStart = r.pos
  const body = readBody(r, limits)
  const bodyEnd = r.pos
  const signature = r.bytes('signature', 64)
  r.end()
  const problem = checkTxBody(body, limits)
  if (problem) throw new DecodeError(problem.code, problem.message)
  const bodyBytes = own.subarray(bodyStart, bodyEnd)
  return { body, bodyBytes, id: hash(bodyBytes), signature, bytes: own }
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
