import { CML } from '@lucid-evolution/lucid'
import { DevnetRuleError } from '../DevnetRuleError.js'
import { neededPlutusLanguages } from './neededPlutusLanguages.js'
import type { RuleContext } from './RuleContext.js'

/**
 * The script integrity hash the ledger expects for a tx (`undefined` when it has neither
 * redeemers nor witness datums): CML's `calc_script_data_hash` over the tx's redeemers, datums
 * and the language views of the cost models of the languages it runs.
 *
 * @example
 * expectedScriptDataHash(ctx)?.to_hex()
 */
export function expectedScriptDataHash(ctx: RuleContext): CML.ScriptDataHash | undefined {
  const ws = ctx.tx.witness_set()
  const datums = ws.plutus_datums() ?? CML.PlutusDataList.new()
  const redeemers = ws.redeemers() ?? CML.Redeemers.new_map_redeemer_key_to_redeemer_val(CML.MapRedeemerKeyToRedeemerVal.new())
  const langs = CML.LanguageList.new()
  for (const l of neededPlutusLanguages(ctx)) langs.add(l)
  return CML.calc_script_data_hash(redeemers, datums, ctx.costModels, langs)
}

/**
 * `script_data_hash` in the body must equal the expected hash (and be present exactly when
 * there are redeemers or witness datums). Throws `SCRIPT_INTEGRITY_HASH_MISMATCH`.
 *
 * @example
 * checkScriptIntegrity(ctx)
 */
export function checkScriptIntegrity(ctx: RuleContext): void {
  const expected = expectedScriptDataHash(ctx)?.to_hex()
  const declared = ctx.body.script_data_hash()?.to_hex()
  if (expected !== declared) {
    throw new DevnetRuleError(
      'SCRIPT_INTEGRITY_HASH_MISMATCH',
      `script_data_hash ${declared ?? '(absent)'} does not match the expected ${expected ?? '(none: no redeemers or datums)'}`,
      { details: { declared: declared ?? null, expected: expected ?? null } },
    )
  }
}
