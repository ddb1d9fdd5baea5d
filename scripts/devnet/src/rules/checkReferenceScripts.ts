import { DevnetRuleError } from '../DevnetRuleError.js'
import { referenceScriptsSize } from './referenceScriptsSize.js'
import type { RuleContext } from './RuleContext.js'

/**
 * Conway's per-transaction limit on reference scripts (`maxRefScriptSizePerTx`, a ledger constant,
 * not a protocol parameter): 200 KiB.
 */
export const MAX_REFERENCE_SCRIPTS_SIZE = 200 * 1024

/**
 * The reference scripts of a tx's spent and reference inputs must total at most
 * `MAX_REFERENCE_SCRIPTS_SIZE` bytes, counted as the ledger counts them (`referenceScriptsSize`).
 * Throws `REFERENCE_SCRIPTS_TOO_LARGE` (Conway `ConwayTxRefScriptsSizeTooBig`).
 *
 * @example
 * checkReferenceScripts(ctx)
 */
export function checkReferenceScripts(ctx: RuleContext): void {
  const size = referenceScriptsSize([...ctx.inputs, ...ctx.referenceInputs])
  if (size > MAX_REFERENCE_SCRIPTS_SIZE) {
    throw new DevnetRuleError('REFERENCE_SCRIPTS_TOO_LARGE', `the tx's reference scripts total ${size} bytes; the per-tx limit is ${MAX_REFERENCE_SCRIPTS_SIZE}`, {
      details: { size, max: MAX_REFERENCE_SCRIPTS_SIZE },
    })
  }
}
