import type { Setup } from '../setup/loadSetup.js'

/** What the page knows of a payout the node records: seen on layer 1, not seen (why), or being checked. */
export type PayoutSight = { readonly seen: true } | { readonly seen: false; readonly reason: string }

const RECHECK_MS = 10_000

/**
 * Checks payouts the node records as paid on layer 1 itself, through the page's layer-1 API (the SDK's
 * `verifyExitPayout`, loaded with Lucid only when a payout is first shown), so the page says "paid"
 * only for one it has seen there. Answers from a cache; a payout not seen yet is checked again every
 * 10 s; `onChange` is called when an answer arrives.
 *
 * @example
 * const payouts = payoutsSeen(setup, () => render())
 * payouts.sight(account, paidTx, amount) // undefined while it is being checked
 */
export function payoutsSeen(setup: Setup, onChange: () => void): { sight(account: string, txHash: string, amount: bigint): PayoutSight | undefined } {
  const known = new Map<string, { sight?: PayoutSight; at: number; busy: boolean }>()
  const check = async (key: string, account: string, txHash: string, amount: bigint) => {
    const e = known.get(key)!
    e.busy = true
    try {
      if (!setup.l1Url || !setup.instance) {
        e.sight = { seen: false, reason: 'the page has no layer-1 API to look for it (add ?l1=URL)' }
        return
      }
      const { blockfrostReader, verifyExitPayout } = await import('../../../sdk/src/audit/l1/index.js')
      const c = await verifyExitPayout({ l1: blockfrostReader({ url: setup.l1Url }), instance: { anchorAddress: setup.instance.anchorAddress, unit: setup.instance.stateTokenUnit }, txHash, account, amount })
      e.sight = c.seen ? { seen: true } : { seen: false, reason: c.reason }
    } catch (err) {
      e.sight = { seen: false, reason: `layer 1 did not answer: ${(err as Error).message}` }
    } finally {
      e.at = Date.now()
      e.busy = false
      onChange()
    }
  }
  return {
    sight(account, txHash, amount) {
      const key = `${txHash}:${account}:${amount}`
      let e = known.get(key)
      if (!e) known.set(key, (e = { at: 0, busy: false }))
      if (!e.busy && !e.sight?.seen && Date.now() - e.at >= RECHECK_MS) void check(key, account, txHash, amount)
      return e.sight
    },
  }
}
