import { DevnetRuleError } from '../DevnetRuleError.js'
import { ceilDiv, toFraction } from '../rational.js'
import { listRedeemers } from '../redeemers.js'
import { referenceScriptsSize } from './referenceScriptsSize.js'
import type { RuleContext } from './RuleContext.js'

/**
 * The parts of the minimum fee of a tx, in lovelace.
 *
 * @example
 * const { total } = computeMinFee(ctx) // linear + scripts + referenceScripts
 */
export interface MinFee {
  /** minFeeA × size + minFeeB */
  readonly linear: bigint
  /** ⌈priceMem × Σmem + priceStep × Σsteps⌉ over the declared redeemer budgets */
  readonly scripts: bigint
  /** Conway tiered fee for the reference scripts of spent and read inputs */
  readonly referenceScripts: bigint
  readonly total: bigint
}

/** Conway's `tierRefScriptFee`: price grows ×1.2 every 25,600 bytes. */
const REF_SCRIPT_TIER_BYTES = 25_600n

/**
 * The Conway tiered reference-script fee: ⌊Σ over 25,600-byte tiers of size × price × 1.2^tier⌋.
 *
 * @example
 * referenceScriptFee(1000, 15) // 15000n
 */
export function referenceScriptFee(totalSize: number, costPerByte: number): bigint {
  if (totalSize <= 0 || costPerByte <= 0) return 0n
  const base = toFraction(costPerByte)
  let num = 0n
  let den = base.den
  let priceNum = base.num // price = priceNum / den
  let remaining = BigInt(totalSize)
  while (remaining > 0n) {
    const chunk = remaining < REF_SCRIPT_TIER_BYTES ? remaining : REF_SCRIPT_TIER_BYTES
    num += chunk * priceNum
    remaining -= chunk
    // price × 6/5 for the next tier, keeping a common denominator
    num *= 5n
    den *= 5n
    priceNum *= 6n
  }
  return num / den
}

/**
 * The minimum fee the ledger demands for this tx.
 *
 * @example
 * computeMinFee(ctx).total <= ctx.body.fee()
 */
export function computeMinFee(ctx: RuleContext): MinFee {
  const pp = ctx.protocolParameters
  const linear = BigInt(pp.minFeeA) * BigInt(ctx.txBytes.length) + BigInt(pp.minFeeB)
  const redeemers = listRedeemers(ctx.tx.witness_set())
  const mem = redeemers.reduce((s, r) => s + r.mem, 0n)
  const steps = redeemers.reduce((s, r) => s + r.steps, 0n)
  const pm = toFraction(pp.priceMem)
  const ps = toFraction(pp.priceStep)
  const scripts = redeemers.length === 0 ? 0n : ceilDiv(mem * pm.num * ps.den + steps * ps.num * pm.den, pm.den * ps.den)
  const referenceScripts = referenceScriptFee(
    referenceScriptsSize([...ctx.inputs, ...ctx.referenceInputs]),
    pp.minFeeRefScriptCostPerByte ?? 0,
  )
  return { linear, scripts, referenceScripts, total: linear + scripts + referenceScripts }
}

/**
 * The declared fee must cover the minimum fee. Throws `FEE_TOO_SMALL` with the breakdown.
 *
 * @example
 * checkFee(ctx)
 */
export function checkFee(ctx: RuleContext): void {
  const min = computeMinFee(ctx)
  const fee = ctx.body.fee()
  if (fee < min.total) {
    throw new DevnetRuleError('FEE_TOO_SMALL', `fee ${fee} is below the minimum ${min.total} (linear ${min.linear} + scripts ${min.scripts} + reference scripts ${min.referenceScripts})`, {
      details: {
        fee: fee.toString(),
        minFee: min.total.toString(),
        linear: min.linear.toString(),
        scripts: min.scripts.toString(),
        referenceScripts: min.referenceScripts.toString(),
        size: ctx.txBytes.length,
      },
    })
  }
}
