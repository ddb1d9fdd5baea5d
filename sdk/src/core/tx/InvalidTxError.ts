import { LagoonError } from '../../errors/LagoonError.js'

/** Why a transaction body breaks the format or the limits. */
export type InvalidTxCode = 'BAD_SHAPE' | 'LIMIT_EXCEEDED'

/**
 * Thrown when building a transaction that the protocol would refuse (an amount of 0, too many
 * actions, a 100-byte key…). Decoding reports the same problems as a `DecodeError` with the same code.
 *
 * @example
 * try { buildSignedTx({ ...body, actions: [] }, key, hash) } catch (e) { e.code } // 'LIMIT_EXCEEDED'
 */
export class InvalidTxError extends LagoonError {
  declare readonly code: InvalidTxCode
  constructor(code: InvalidTxCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? undefined : { details })
  }
}
