import { ApiError, toHex } from '../../../sdk/src/index.js'
import type { App } from '../App.js'
import { payoutsSeen } from './payoutsSeen.js'

/**
 * One withdrawal as the wallet shows it (the shape of `GET /accounts/:id/withdrawals`), except that
 * `paid` means seen on layer 1 by the page: what the node records as paid and the page has not seen
 * there (yet) is `recorded`, with the reason in `note`.
 */
export interface WithdrawalView {
  readonly amount: bigint
  readonly requestedSeq: number
  readonly status: 'requested' | 'committed' | 'recorded' | 'paid'
  readonly batch?: number
  readonly paidTx?: string
  readonly note?: string
}

interface NodeWithdrawal {
  amount: string
  requestedSeq: number
  status: 'requested' | 'committed' | 'paid'
  batch?: number
  paidTx?: string
}

/**
 * Follows the connected account's withdrawals until they are paid on layer 1: from the node's
 * `GET /accounts/:id/withdrawals` when it serves it, else derived from what is public anyway — the
 * requests this page made, the confirmed batches that cover them, and the `exitPaid` tasks of the log
 * (which carry the layer-1 payout's tx hash). A payout is shown as `paid` only once the page has seen it
 * on layer 1 (`payoutsSeen`); until then `recorded`. Calls `onList` on every change.
 *
 * @example
 * const w = trackWithdrawals(app, () => account, render)
 * w.requested({ amount: 3_000_000n, requestedSeq: receipt.seq })
 */
export function trackWithdrawals(app: App, accountOf: () => string | null, onList: (list: WithdrawalView[]) => void): { reset(): void; requested(w: { amount: bigint; requestedSeq: number }): void } {
  let local: { amount: bigint; requestedSeq: number }[] = []
  let fromNode: boolean | undefined
  let last = ''
  let latest: { account: string; list: WithdrawalView[] } | undefined
  const payouts = payoutsSeen(app.setup, () => latest && latest.account === accountOf() && publish(latest.list, latest.account))

  /** `paid` (as the node or the log says) becomes `recorded` until the page sees the payout on layer 1. */
  const onL1 = (account: string, list: WithdrawalView[]): WithdrawalView[] =>
    list.map((w) => {
      if (w.status !== 'paid') return w
      const sight = w.paidTx ? payouts.sight(account, w.paidTx, w.amount) : { seen: false as const, reason: 'the node names no layer-1 tx for it' }
      if (sight?.seen) return w
      return { ...w, status: 'recorded' as const, note: `recorded by the node as paid, not seen on layer 1 yet${sight ? `: ${sight.reason}` : ' (checking…)'}` }
    })

  const publish = (raw: WithdrawalView[], account: string) => {
    latest = { account, list: raw }
    const list = onL1(account, raw)
    const key = JSON.stringify(list, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
    if (key === last) return
    last = key
    onList(list)
  }

  const derived = (account: string): WithdrawalView[] => {
    const paid = app.tail.items.filter((it) => it.task?.kind === 'exitPaid' && toHex(it.task.account) === account)
    let p = 0
    return local.map((w) => {
      while (p < paid.length && paid[p]!.seq < w.requestedSeq) p++
      const exit = paid[p]
      const batch = app.batches.confirmedCovering(w.requestedSeq)
      if (exit?.task?.kind === 'exitPaid') {
        p++
        return { ...w, status: 'paid' as const, ...(batch ? { batch: batch.number } : {}), paidTx: toHex(exit.task.txHash) }
      }
      return batch ? { ...w, status: 'committed' as const, batch: batch.number } : { ...w, status: 'requested' as const }
    })
  }

  let busy = false
  const update = async () => {
    const account = accountOf()
    if (!account || busy) return
    busy = true
    try {
      if (fromNode !== false) {
        try {
          const list = await app.setup.client.request<NodeWithdrawal[]>({ method: 'GET', path: `/accounts/${account}/withdrawals` })
          fromNode = true
          if (account === accountOf()) {
            publish(list.map((w) => ({ amount: BigInt(w.amount), requestedSeq: w.requestedSeq, status: w.status, ...(w.batch !== undefined ? { batch: w.batch } : {}), ...(w.paidTx ? { paidTx: w.paidTx } : {}) })), account)
          }
          return
        } catch (e) {
          // An older node has no such route ("no route GET …"): derive the statuses instead.
          if (e instanceof ApiError && e.code === 'NOT_FOUND' && e.message.startsWith('no route')) fromNode = false
          else if (!(e instanceof ApiError && e.code === 'NOT_FOUND')) throw e
        }
      }
      if (fromNode === false && account === accountOf()) publish(derived(account), account)
    } catch {
      // transient: the next tick retries
    } finally {
      busy = false
    }
  }

  setInterval(() => void update(), 1500)
  app.batches.onChange(() => void update())
  app.tail.onEntries(() => void update())
  app.stream.on('exit', () => void update())

  return {
    reset() {
      local = []
      last = ''
      publish([], accountOf() ?? '')
      void update()
    },
    requested(w) {
      local.push(w)
      void update()
    },
  }
}
