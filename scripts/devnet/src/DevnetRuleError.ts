import { LagoonError } from '../../../sdk/src/errors/LagoonError.js'

/**
 * The stable codes of the ledger rules the strict devnet enforces (see docs/devnet.md for the rule
 * behind each and the Conway ledger failure it stands for).
 *
 * @example
 * const code: DevnetRuleCode = 'FEE_TOO_SMALL'
 */
export type DevnetRuleCode =
  | 'MALFORMED_TX'
  | 'NO_INPUTS'
  | 'MISSING_INPUT'
  | 'TX_TOO_LARGE'
  | 'WRONG_NETWORK'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'OUTPUT_TOO_SMALL'
  | 'OUTPUT_VALUE_TOO_LARGE'
  | 'VALUE_NOT_CONSERVED'
  | 'FEE_TOO_SMALL'
  | 'COLLATERAL_MISSING'
  | 'COLLATERAL_INSUFFICIENT'
  | 'COLLATERAL_NOT_ADA_ONLY'
  | 'COLLATERAL_LOCKED_BY_SCRIPT'
  | 'COLLATERAL_TOO_MANY_INPUTS'
  | 'INCORRECT_TOTAL_COLLATERAL'
  | 'SCRIPT_INTEGRITY_HASH_MISMATCH'
  | 'EX_UNITS_TOO_LOW'
  | 'EX_UNITS_EXCEED_MAX'
  | 'SCRIPT_FAILED'
  | 'REFERENCE_SCRIPTS_TOO_LARGE'
  | 'IS_VALID_FALSE_UNSUPPORTED'
  | 'GOVERNANCE_UNSUPPORTED'
  | 'PLUTUS_CONTEXT_UNSUPPORTED'
  // witnesses
  | 'MISSING_SIGNATURE'
  | 'INVALID_SIGNATURE'
  | 'MISSING_SCRIPT_WITNESS'
  | 'MISSING_REDEEMER'
  | 'EXTRA_REDEEMER'
  | 'NATIVE_SCRIPT_FAILED'
  | 'EXTRANEOUS_WITNESS'
  // withdrawals and certificates, against the ledger's registration state
  | 'WITHDRAWAL_ACCOUNT_NOT_REGISTERED'
  | 'WITHDRAWAL_MISMATCH'
  | 'WITHDRAWAL_NOT_DELEGATED_TO_DREP'
  | 'INCORRECT_DEPOSIT'
  | 'INCORRECT_REFUND'
  | 'STAKE_ALREADY_REGISTERED'
  | 'STAKE_NOT_REGISTERED'
  | 'STAKE_REWARDS_NOT_ZERO'
  | 'DELEGATEE_NOT_REGISTERED'
  | 'POOL_NOT_REGISTERED'
  | 'POOL_COST_TOO_LOW'
  | 'POOL_RETIREMENT_WRONG_EPOCH'
  | 'DREP_ALREADY_REGISTERED'
  | 'DREP_NOT_REGISTERED'
  | 'COMMITTEE_UNKNOWN'

/**
 * A transaction broke a ledger rule that a Cardano node would enforce; `code` names the rule,
 * `details` carries the numbers (and for `SCRIPT_FAILED` the script's trace in `details.logs`).
 *
 * @example
 * try { await devnet.submitTx(cbor) } catch (e) {
 *   if (e instanceof DevnetRuleError && e.code === 'SCRIPT_FAILED') console.log(e.details?.logs)
 * }
 */
export class DevnetRuleError extends LagoonError {
  declare readonly code: DevnetRuleCode

  constructor(code: DevnetRuleCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options)
  }
}
