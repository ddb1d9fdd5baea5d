import { getAddressDetails } from '@lucid-evolution/lucid'
import { addInto, jsonAssets, nonZero, valueToUnits } from '../assets.js'
import { DevnetRuleError } from '../DevnetRuleError.js'
import { listRedeemers } from '../redeemers.js'
import type { RuleContext } from './RuleContext.js'

/**
 * Collateral rules for a tx that runs Plutus scripts (has redeemers):
 * - at least one collateral input (`COLLATERAL_MISSING`), at most `maxCollateralInputs`
 *   (`COLLATERAL_TOO_MANY_INPUTS`);
 * - every collateral input at a key (not script) address (`COLLATERAL_LOCKED_BY_SCRIPT`);
 * - collateral balance (inputs − collateral return) is ADA only (`COLLATERAL_NOT_ADA_ONLY`);
 * - balance × 100 ≥ fee × collateralPercentage (`COLLATERAL_INSUFFICIENT`);
 * - `total_collateral`, when declared, equals the balance (`INCORRECT_TOTAL_COLLATERAL`).
 *
 * @example
 * checkCollateral(ctx)
 */
export function checkCollateral(ctx: RuleContext): void {
  if (listRedeemers(ctx.tx.witness_set()).length === 0) return
  const pp = ctx.protocolParameters
  const count = ctx.collateralInputs.length
  if (count === 0) throw new DevnetRuleError('COLLATERAL_MISSING', 'tx runs Plutus scripts but has no collateral inputs')
  if (count > pp.maxCollateralInputs) {
    throw new DevnetRuleError('COLLATERAL_TOO_MANY_INPUTS', `${count} collateral inputs; maxCollateralInputs is ${pp.maxCollateralInputs}`, {
      details: { count, max: pp.maxCollateralInputs },
    })
  }
  const balance: Record<string, bigint> = {}
  for (const u of ctx.collateralInputs) {
    if (getAddressDetails(u.address).paymentCredential?.type !== 'Key') {
      throw new DevnetRuleError('COLLATERAL_LOCKED_BY_SCRIPT', `collateral input ${u.txHash}#${u.outputIndex} is not at a key address`, {
        details: { txHash: u.txHash, outputIndex: u.outputIndex, address: u.address },
      })
    }
    addInto(balance, u.assets)
  }
  const ret = ctx.body.collateral_return()
  if (ret) addInto(balance, valueToUnits(ret.amount()), -1n)
  const lovelace = balance.lovelace ?? 0n
  const tokens = nonZero(Object.fromEntries(Object.entries(balance).filter(([u]) => u !== 'lovelace')))
  if (Object.keys(tokens).length > 0) {
    throw new DevnetRuleError('COLLATERAL_NOT_ADA_ONLY', `collateral (net of return) holds tokens: ${JSON.stringify(jsonAssets(tokens))}`, {
      details: { tokens: jsonAssets(tokens) },
    })
  }
  const fee = ctx.body.fee()
  const required = (fee * BigInt(pp.collateralPercentage) + 99n) / 100n
  if (lovelace * 100n < fee * BigInt(pp.collateralPercentage)) {
    throw new DevnetRuleError('COLLATERAL_INSUFFICIENT', `collateral ${lovelace} lovelace (net of return) is below ${pp.collateralPercentage}% of the fee ${fee} = ${required}`, {
      details: { collateral: lovelace.toString(), required: required.toString(), fee: fee.toString() },
    })
  }
  const total = ctx.body.total_collateral()
  if (total !== undefined && total !== lovelace) {
    throw new DevnetRuleError('INCORRECT_TOTAL_COLLATERAL', `total_collateral ${total} differs from the collateral balance ${lovelace}`, {
      details: { declared: total.toString(), actual: lovelace.toString() },
    })
  }
}
