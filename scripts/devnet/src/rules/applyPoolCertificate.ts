import type { CertState } from '../ledger/CertState.js'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { ConwayCertificate } from '../ledger/readCertificate.js'
import type { CertSite, CertTotals } from './CertTotals.js'

/** `minPoolCost`: mainnet's 170 ADA (Lucid's protocol parameters do not carry it). */
export const MIN_POOL_COST = 170_000_000n

/** `eMax`: mainnet's 18, how many epochs ahead a retirement may be scheduled. */
export const POOL_RETIREMENT_MAX_EPOCHS = 18

type PoolCertificate = Extract<ConwayCertificate, { rule: 'pool' }>

/**
 * The POOL rule on `state` (mutated), the deposit of a new pool added to `totals`:
 * - a registration pays its reward account on the devnet's network (`WRONG_NETWORK`) and costs at
 *   least `MIN_POOL_COST` (`POOL_COST_TOO_LOW`); a new pool pays `poolDeposit`, a registered one is
 *   re-registered (new parameters, a scheduled retirement cancelled, no second deposit);
 * - a retirement names a registered pool (`POOL_NOT_REGISTERED`) and an epoch after the current one
 *   and at most `POOL_RETIREMENT_MAX_EPOCHS` ahead (`POOL_RETIREMENT_WRONG_EPOCH`); the deposit goes
 *   back to the pool's reward account when that epoch starts (`reapRetiredPools`), not in the tx.
 *
 * @example
 * applyPoolCertificate(readCertificate(cert), state, 500_000_000n, 0, { certificate: 0, kind: 'PoolRegistration' }, totals)
 */
export function applyPoolCertificate(c: PoolCertificate, state: CertState, poolDeposit: bigint, epoch: number, site: CertSite, totals: CertTotals): void {
  const at = { ...site, pool: c.pool }
  const registered = state.pools.get(c.pool)
  if (c.op === 'register') {
    if (c.rewardNetwork !== 0) {
      throw new DevnetRuleError('WRONG_NETWORK', `certificate ${site.certificate} (${site.kind}) pays the pool's rewards to network id ${c.rewardNetwork}; the devnet is network id 0`, {
        details: { ...at, networkId: c.rewardNetwork },
      })
    }
    if (c.cost < MIN_POOL_COST) {
      throw new DevnetRuleError('POOL_COST_TOO_LOW', `certificate ${site.certificate} (${site.kind}) sets a pool cost of ${c.cost}; minPoolCost is ${MIN_POOL_COST}`, {
        details: { ...at, cost: c.cost.toString(), minPoolCost: MIN_POOL_COST.toString() },
      })
    }
    if (registered) {
      registered.rewardAccount = c.rewardAccount
      registered.owners = [...c.owners]
      registered.retiring = null
      return
    }
    state.pools.set(c.pool, { deposit: poolDeposit, rewardAccount: c.rewardAccount, owners: [...c.owners], retiring: null })
    totals.deposits += poolDeposit
    return
  }
  if (!registered) throw new DevnetRuleError('POOL_NOT_REGISTERED', `certificate ${site.certificate} (${site.kind}) retires pool ${c.pool}, which is not registered`, { details: at })
  const last = epoch + POOL_RETIREMENT_MAX_EPOCHS
  if (c.epoch <= BigInt(epoch) || c.epoch > BigInt(last)) {
    throw new DevnetRuleError('POOL_RETIREMENT_WRONG_EPOCH', `certificate ${site.certificate} (${site.kind}) retires pool ${c.pool} at epoch ${c.epoch}; it must be after the current epoch ${epoch} and at most ${last}`, {
      details: { ...at, epoch: Number(c.epoch), currentEpoch: epoch, maxEpoch: last },
    })
  }
  registered.retiring = Number(c.epoch)
}
