import type { CertState } from './CertState.js'

/**
 * The start of `epoch` for the pools (POOLREAP): every pool whose retirement epoch has come is
 * removed, its deposit paid to its reward account if that is registered (else it goes to the
 * treasury, which the devnet does not keep), and the stake delegated to it is undelegated. Mutates
 * `state`; returns the operator key hashes of the pools retired.
 *
 * @example
 * reapRetiredPools(state, epochOf(slot)) // ['ab…']
 */
export function reapRetiredPools(state: CertState, epoch: number): string[] {
  const retired: string[] = []
  for (const [pool, p] of state.pools) {
    if (p.retiring === null || p.retiring > epoch) continue
    const account = state.accounts.get(p.rewardAccount)
    if (account) account.rewards += p.deposit
    state.pools.delete(pool)
    retired.push(pool)
  }
  if (retired.length > 0) {
    for (const account of state.accounts.values()) if (account.pool !== null && retired.includes(account.pool)) account.pool = null
  }
  return retired
}
