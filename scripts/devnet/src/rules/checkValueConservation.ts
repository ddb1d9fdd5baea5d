import { addInto, jsonAssets, mintToUnits, nonZero, valueToUnits } from '../assets.js'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { CertTotals } from './CertTotals.js'
import type { RuleContext } from './RuleContext.js'

/**
 * Preservation of value, multi-asset aware:
 * inputs + withdrawals + refunds + mint = outputs + fee + deposits + donation + burn.
 * Withdrawals, refunds and deposits come from `applyCertificates` (`totals`): the balances drained,
 * the deposits the ledger recorded as paid, the deposits of the current protocol parameters — not the
 * amounts a certificate states. Throws `VALUE_NOT_CONSERVED` with the imbalance.
 *
 * @example
 * checkValueConservation(ctx, applyCertificates(ctx).totals)
 */
export function checkValueConservation(ctx: RuleContext, totals: CertTotals): void {
  const balance: Record<string, bigint> = {}
  for (const u of ctx.inputs) addInto(balance, u.assets)
  addInto(balance, { lovelace: totals.withdrawn + totals.refunds })
  addInto(balance, mintToUnits(ctx.body.mint()))
  const outputs = ctx.body.outputs()
  for (let i = 0; i < outputs.len(); i++) addInto(balance, valueToUnits(outputs.get(i).amount()), -1n)
  const fee = ctx.body.fee()
  const donation = ctx.body.donation() ?? 0n
  addInto(balance, { lovelace: fee + totals.deposits + donation }, -1n)
  const diff = nonZero(balance)
  if (Object.keys(diff).length > 0) {
    throw new DevnetRuleError('VALUE_NOT_CONSERVED', `value not conserved: consumed − produced = ${JSON.stringify(jsonAssets(diff))}`, {
      details: {
        consumedMinusProduced: jsonAssets(diff),
        fee: fee.toString(),
        deposit: totals.deposits.toString(),
        refund: totals.refunds.toString(),
        withdrawn: totals.withdrawn.toString(),
      },
    })
  }
}
