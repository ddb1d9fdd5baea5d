import { MAX_LOVELACE, type Limits } from '../limits.js'
import type { Action, TxBody } from './types.js'

/** A format or limit violation found in a transaction body. */
export interface TxBodyProblem {
  readonly code: 'BAD_SHAPE' | 'LIMIT_EXCEEDED'
  readonly message: string
}

function isHash28(b: unknown): b is Uint8Array {
  return b instanceof Uint8Array && b.length === 28
}

function checkAmount(what: string, n: unknown, min: bigint): TxBodyProblem | undefined {
  if (typeof n !== 'bigint') return { code: 'BAD_SHAPE', message: `${what} must be an integer` }
  if (n < min || n > MAX_LOVELACE) {
    return { code: 'LIMIT_EXCEEDED', message: `${what} must be between ${min} and ${MAX_LOVELACE} lovelace; got ${n}` }
  }
  return undefined
}

function checkAction(a: Action, i: number, limits: Limits): TxBodyProblem | undefined {
  const at = `action ${i} (${a.type})`
  switch (a.type) {
    case 'transfer':
      if (!isHash28(a.to)) return { code: 'BAD_SHAPE', message: `${at}: recipient must be a 28-byte account` }
      return checkAmount(`${at}: amount`, a.amount, 1n)
    case 'withdraw':
      return checkAmount(`${at}: amount`, a.amount, limits.minWithdrawal)
    case 'put':
    case 'delete': {
      if (!(a.key instanceof Uint8Array)) return { code: 'BAD_SHAPE', message: `${at}: key must be bytes` }
      if (a.key.length < 1 || a.key.length > limits.maxKeyBytes) {
        return { code: 'LIMIT_EXCEEDED', message: `${at}: key must be 1 to ${limits.maxKeyBytes} bytes; got ${a.key.length}` }
      }
      if (a.type === 'put') {
        if (!(a.value instanceof Uint8Array)) return { code: 'BAD_SHAPE', message: `${at}: value must be bytes` }
        if (a.value.length > limits.maxValueBytes) {
          return { code: 'LIMIT_EXCEEDED', message: `${at}: value must be at most ${limits.maxValueBytes} bytes; got ${a.value.length}` }
        }
      }
      return undefined
    }
    default:
      return { code: 'BAD_SHAPE', message: `action ${i}: unknown type` }
  }
}

/**
 * Checks a transaction body against the format and the limits; returns the first problem or
 * `undefined`. Pure; used by both the builder and the decoder, so they agree on what is valid.
 *
 * @example
 * checkTxBody({ instance, signer, nonce: 0, fee: 0n, actions: [] }, DEFAULT_LIMITS)
 * // { code: 'LIMIT_EXCEEDED', message: 'a transaction has 1 to 16 actions; got 0' }
 */
export function checkTxBody(body: TxBody, limits: Limits): TxBodyProblem | undefined {
  if (!isHash28(body.instance)) return { code: 'BAD_SHAPE', message: 'instance must be 28 bytes' }
  if (!isHash28(body.signer)) return { code: 'BAD_SHAPE', message: 'signer must be a 28-byte account' }
  if (!Number.isSafeInteger(body.nonce) || body.nonce < 0) {
    return { code: 'BAD_SHAPE', message: 'nonce must be an integer from 0 to 2^53 - 1' }
  }
  const fee = checkAmount('fee', body.fee, 0n)
  if (fee) return fee
  if (!Array.isArray(body.actions)) return { code: 'BAD_SHAPE', message: 'actions must be a list' }
  if (body.actions.length < 1 || body.actions.length > limits.maxActions) {
    return { code: 'LIMIT_EXCEEDED', message: `a transaction has 1 to ${limits.maxActions} actions; got ${body.actions.length}` }
  }
  for (let i = 0; i < body.actions.length; i++) {
    const p = checkAction(body.actions[i]!, i, limits)
    if (p) return p
  }
  return undefined
}
