import type { DRepTarget, StakeAccount } from './CertState.js'
import { poolIdOf } from './chainViewOf.js'

/**
 * What the ledger records of a registered reward account, for callers: the deposit it paid, its
 * reward balance, the pool (bech32 `pool1…`) and the DRep it delegates to.
 *
 * @example
 * const info: StakeAccountInfo = { deposit: 2_000_000n, rewards: 0n, poolId: null, drep: { kind: 'abstain' } }
 */
export interface StakeAccountInfo {
  readonly deposit: bigint
  readonly rewards: bigint
  readonly poolId: string | null
  readonly drep: DRepTarget | null
}

/**
 * A copy of a stake account as `StakeAccountInfo`.
 *
 * @example
 * stakeAccountInfo(state.accounts.get(credential)!)
 */
export function stakeAccountInfo(account: StakeAccount): StakeAccountInfo {
  return { deposit: account.deposit, rewards: account.rewards, poolId: account.pool === null ? null : poolIdOf(account.pool), drep: account.drep === null ? null : { ...account.drep } }
}
