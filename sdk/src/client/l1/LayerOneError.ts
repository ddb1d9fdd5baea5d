import { LagoonError } from '../../errors/LagoonError.js'

/** Codes of {@link LayerOneError}. */
export type LayerOneErrorCode =
  | 'NO_L1'
  | 'INSTANCE_MISMATCH'
  | 'ANCHOR_NOT_FOUND'
  | 'ANCHOR_FROZEN'
  | 'ANCHOR_ACTIVE'
  | 'TOO_EARLY'
  | 'PROOF_MISMATCH'
  | 'PROOF_STALE'
  | 'NOT_IN_STATE'
  | 'NOTHING_TO_WITHDRAW'
  | 'DEPOSIT_NOT_FOUND'
  | 'NOT_OWNER'
  | 'LOG_MISMATCH'
  | 'L1_TX_FAILED'

/**
 * A layer-1 action could not go ahead: the node has no layer 1 (`NO_L1`), the node's instance does not
 * match the scripts this SDK derives from its seed (`INSTANCE_MISMATCH`), the anchor is missing or in the
 * wrong mode (`ANCHOR_NOT_FOUND`, `ANCHOR_FROZEN`, `ANCHOR_ACTIVE`), a time lock has not passed
 * (`TOO_EARLY`: `details.at` is when it will), a proof does not match the on-chain root
 * (`PROOF_MISMATCH`: a lying source; `PROOF_STALE`: the anchor moved since that batch — use a local
 * replay), the account is not in the committed state (`NOT_IN_STATE`) or has nothing to withdraw,
 * a deposit is gone or not the wallet's, the replayed log does not reach the anchor's log head
 * (`LOG_MISMATCH`), or the wallet/chain refused the layer-1 transaction (`L1_TX_FAILED`).
 *
 * @example
 * try { await client.withdraw({ lucid }) } catch (e) {
 *   if (e instanceof LayerOneError && e.code === 'NOTHING_TO_WITHDRAW') console.log('request a withdrawal first')
 * }
 */
export class LayerOneError extends LagoonError {
  declare readonly code: LayerOneErrorCode
  constructor(code: LayerOneErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options)
  }
}
