import { CML } from '@lucid-evolution/lucid'
import { addInto, jsonAssets, mintToUnits, nonZero, valueToUnits } from '../assets.js'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { RuleContext } from './RuleContext.js'

/**
 * Preservation of value, multi-asset aware:
 * inputs + withdrawals + deposit refunds + mint = outputs + fee + deposits + donation + burn.
 * (Withdrawals, refunds and deposits come from CML's `get_implicit_input` / `get_deposit`, which
 * know the Shelley and Conway certificates.) Throws `VALUE_NOT_CONSERVED` with the imbalance.
 *
 * @example
 * checkValueConservation(ctx)
 */
export function checkValueConservation(ctx: RuleContext): void {
  const pp = ctx.protocolParameters
  const balance: Record<string, bigint> = {}
  for (const u of ctx.inputs) addInto(balance, u.assets)
  addInto(balance, valueToUnits(CML.get_implicit_input(ctx.body, pp.poolDeposit, pp.keyDeposit)))
  addInto(balance, mintToUnits(ctx.body.mint()))
  const outputs = ctx.body.outputs()
  for (let i = 0; i < outputs.len(); i++) addInto(balance, valueToUnits(outputs.get(i).amount()), -1n)
  const fee = ctx.body.fee()
  const deposit = CML.get_deposit(ctx.body, pp.poolDeposit, pp.keyDeposit)
  const donation = ctx.body.donation() ?? 0n
  addInto(balance, { lovelace: fee + deposit + donation }, -1n)
  const diff = nonZero(balance)
  if (Object.keys(diff).length > 0) {
    throw new DevnetRuleError(
      'VALUE_NOT_CONSERVED',
      `value not conserved: consumed − produced = ${JSON.stringify(jsonAssets(diff))}`,
      { details: { consumedMinusProduced: jsonAssets(diff), fee: fee.toString(), deposit: deposit.toString() } },
    )
  }
}
