import type { AccountState } from './types.js'

/**
 * The lovelace layer 2 holds: every balance plus every pending exit. Credited deposits raise it,
 * paid exits lower it, and nothing else changes it (the conservation invariant).
 *
 * @example
 * totalValue(state.allAccounts()) // 12_000_000n
 */
export function totalValue(accounts: Iterable<AccountState>): bigint {
  let sum = 0n
  for (const a of accounts) sum += a.balance + a.pendingExit
  return sum
}
