import type { InstanceInfo } from '@lagoon/sdk'
import type { CommandContext } from '../Command.js'
import { opt } from './commonOptions.js'

/**
 * What `lagoon` saw of a payout the node records as paid: `seen` on layer 1 (a Withdraw of the
 * anchor paid it), `not seen` (layer 1 was read and does not show it, with the reason), or `not
 * checked` (no `--l1`, or layer 1 did not answer).
 *
 * @example
 * const p: PayoutOnL1 = await payoutOnL1(ctx, info, { account, paidTx, amount })
 */
export type PayoutOnL1 = { readonly l1: 'seen' } | { readonly l1: 'not seen'; readonly reason: string } | { readonly l1: 'not checked'; readonly reason: string }

/**
 * Checks a payout the node records (`status: 'paid'`, `paidTx`) on layer 1 itself, through `--l1`
 * (`verifyExitPayout`): the CLI says "paid" only for a payout it has seen there.
 *
 * @example
 * const p = await payoutOnL1(ctx, info, { account, paidTx: w.paidTx!, amount: w.amount })
 * console.log(p.l1 === 'seen' ? 'paid on layer 1' : `recorded by the node as paid (${p.reason})`)
 */
export async function payoutOnL1(ctx: Pick<CommandContext, 'values' | 'env'>, info: InstanceInfo, p: { readonly account: string; readonly paidTx: string | undefined; readonly amount: bigint }): Promise<PayoutOnL1> {
  const url = opt(ctx, 'l1', 'LAGOON_L1_URL')
  if (!url) return { l1: 'not checked', reason: 'pass --l1 URL to see the payout on layer 1' }
  if (!p.paidTx) return { l1: 'not seen', reason: 'the node names no layer-1 tx for it' }
  const projectId = opt(ctx, 'l1-project-id', 'LAGOON_L1_PROJECT_ID')
  const { blockfrostReader, verifyExitPayout } = await import('@lagoon/sdk/audit-l1')
  try {
    const c = await verifyExitPayout({
      l1: blockfrostReader({ url, ...(projectId ? { projectId } : {}) }),
      instance: { anchorAddress: info.anchorAddress, unit: info.stateTokenUnit },
      txHash: p.paidTx,
      account: p.account,
      amount: p.amount,
    })
    return c.seen ? { l1: 'seen' } : { l1: 'not seen', reason: c.reason }
  } catch (e) {
    return { l1: 'not checked', reason: `layer 1 at ${url} did not answer: ${(e as Error).message}` }
  }
}

/**
 * The words for a payout the node records as paid, by what layer 1 showed.
 *
 * @example
 * payoutWords({ l1: 'seen' }) // 'paid on layer 1'
 */
export function payoutWords(p: PayoutOnL1): string {
  if (p.l1 === 'seen') return 'paid on layer 1'
  if (p.l1 === 'not seen') return 'recorded by the node as paid, NOT seen on layer 1'
  return 'recorded by the node as paid, not seen on layer 1 yet'
}
