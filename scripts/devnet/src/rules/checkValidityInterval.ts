import { DevnetRuleError } from '../DevnetRuleError.js'
import type { RuleContext } from './RuleContext.js'

/**
 * The validity interval, as the ledger reads it: `validity_interval_start` is inclusive, the TTL
 * exclusive (a tx with ttl = s is invalid in slot s). Throws `NOT_YET_VALID` / `EXPIRED`.
 * (The plain Emulator accepts a tx in its TTL slot.)
 *
 * @example
 * checkValidityInterval(ctx)
 */
export function checkValidityInterval(ctx: RuleContext): void {
  const start = ctx.body.validity_interval_start()
  const ttl = ctx.body.ttl()
  if (start !== undefined && BigInt(ctx.slot) < start) {
    throw new DevnetRuleError('NOT_YET_VALID', `tx is valid from slot ${start}; the current slot is ${ctx.slot}`, {
      details: { validFrom: Number(start), slot: ctx.slot },
    })
  }
  if (ttl !== undefined && BigInt(ctx.slot) >= ttl) {
    throw new DevnetRuleError('EXPIRED', `tx expired: ttl ${ttl} (exclusive) ≤ current slot ${ctx.slot}`, {
      details: { ttl: Number(ttl), slot: ctx.slot },
    })
  }
}
