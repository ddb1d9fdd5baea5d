/**
 * One output of a layer-1 tx seen as a payout: the payment key hash of its address (undefined for a
 * script address) and its lovelace.
 *
 * @example
 * const p: L1Payout = { paymentKeyHash: account, lovelace: 4_000_000n }
 */
export interface L1Payout {
  /** hex, 28 bytes; undefined when the payment credential is a script. */
  readonly paymentKeyHash: string | undefined
  readonly lovelace: bigint
}

/**
 * What a Withdraw tx says it paid: the exits of its redeemer (account hex, lovelace) and its outputs
 * other than the anchor.
 *
 * @example
 * const w: WithdrawPayouts = { exits: step.exits!, payouts: step.payouts! }
 */
export interface WithdrawPayouts {
  readonly exits: readonly { readonly account: string; readonly amount: bigint }[]
  readonly payouts: readonly L1Payout[]
}

/**
 * Why a Withdraw did not pay `amount` lovelace to `account`, or undefined when it did: its redeemer pays
 * an exit to the account of at least `amount` (and not one already matched, `used`: indices into
 * `exits`, updated when it matches), and an output whose payment credential is the account's key hash
 * holds at least `amount` (its stake part is not looked at: the account's enterprise address and a
 * base address both count). Pure.
 *
 * @example
 * withdrawPaysExit({ exits: step.exits!, payouts: step.payouts! }, account, 4_000_000n) // undefined: paid
 */
export function withdrawPaysExit(w: WithdrawPayouts, account: string, amount: bigint, used: Set<number> = new Set()): string | undefined {
  const who = account.toLowerCase()
  const at = w.exits.findIndex((e, i) => !used.has(i) && e.account.toLowerCase() === who && e.amount >= amount)
  if (at < 0) {
    const any = w.exits.filter((e) => e.account.toLowerCase() === who)
    return any.length === 0 ? `its Withdraw redeemer pays no exit to ${who}` : `its Withdraw redeemer pays ${who} ${any.map((e) => e.amount).join(', ')} lovelace, not an exit of ${amount}`
  }
  const best = w.payouts.filter((p) => p.paymentKeyHash?.toLowerCase() === who).reduce((m, p) => (p.lovelace > m ? p.lovelace : m), -1n)
  if (best < amount) return best < 0n ? `no output of it pays ${who}` : `its largest output to ${who} holds ${best} lovelace, less than ${amount}`
  used.add(at)
  return undefined
}
