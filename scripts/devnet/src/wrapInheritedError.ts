import { DevnetRuleError, type DevnetRuleCode } from './DevnetRuleError.js'

const INHERITED: ReadonlyArray<readonly [string, DevnetRuleCode]> = [
  ['Missing vkey witness', 'MISSING_SIGNATURE'],
  ['Invalid vkey witness', 'INVALID_SIGNATURE'],
  ['Invalid native script witness', 'NATIVE_SCRIPT_FAILED'],
  ['Missing script witness', 'MISSING_SCRIPT_WITNESS'],
  ['Extraneous', 'EXTRANEOUS_WITNESS'],
  ['Could not spend UTxO', 'MISSING_INPUT'],
  ['Could not read UTxO', 'MISSING_INPUT'],
  ['Collateral inputs can only contain vkeys', 'COLLATERAL_LOCKED_BY_SCRIPT'],
  ['Withdrawal amount', 'WITHDRAWAL_MISMATCH'],
  ['Stake key', 'STAKE_CERTIFICATE_INVALID'],
  ['Lower bound', 'NOT_YET_VALID'],
  ['Upper bound', 'EXPIRED'],
]

/**
 * Re-throws an error raised by Lucid's own `Emulator.submitTx` checks as a `DevnetRuleError`
 * with a stable code (chosen from the Emulator's message; `LEDGER_RULE_VIOLATED` if unknown).
 *
 * @example
 * try { await super.submitTx(cbor) } catch (e) { throw wrapInheritedError(e) }
 */
export function wrapInheritedError(error: unknown): DevnetRuleError {
  if (error instanceof DevnetRuleError) return error
  const message = error instanceof Error ? error.message : String(error)
  const code = INHERITED.find(([prefix]) => message.startsWith(prefix))?.[1] ?? 'LEDGER_RULE_VIOLATED'
  return new DevnetRuleError(code, message, { cause: error, details: { inheritedFrom: 'Emulator' } })
}
