import { LagoonError } from '../errors/LagoonError.js'

/** Codes of the layer-1 builders. */
export type L1BuildErrorCode = 'INVALID_ARGUMENT'

/**
 * A layer-1 builder refused its arguments (nothing was built): e.g. a deposit datum that no one could
 * ever spend.
 *
 * @example
 * try { buildDepositTx(lucid, scripts, { owner: 'ab', refundAfter: 0n }, 5_000_000n) } catch (e) { (e as L1BuildError).code } // 'INVALID_ARGUMENT'
 */
export class L1BuildError extends LagoonError {
  declare readonly code: L1BuildErrorCode
  constructor(code: L1BuildErrorCode, message: string, options?: { details?: Record<string, unknown> }) {
    super(code, message, options)
  }
}
