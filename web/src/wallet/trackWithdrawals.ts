import { ApiError, toHex } from '../../../sdk/src/index.js'
import type { App } from '../App.js'

/** One withdrawal as the wallet shows it (the shape of `GET /accounts/:id/withdrawals`). */
export interface WithdrawalView {
  readonly amount: bigint
  readonly requestedSeq: number
  readonly status: 'requested' | 'committed' | 'paid'
  readonly batch?: number
  readonly paidTx?: string
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
 * (which carry the layer-1 payout's tx hash). Calls `onList` on every change.
 *
 * @example
 * const w = trackWithdrawals(app, () => account, render)
 * w.requested({ amount: 3_000_000n, requestedSeq: receipt.seq })
 */
export function trackWithdrawals(app: App, accountOf: () => string | null, onList: (list: WithdrawalView[]) => void): { reset(): void; requested(w: { amount: bigint; requestedSeq: number }): void } {
  let local: { amount: bigint; requestedSeq: number }[] = []
  let fromNode: boolean | undefined
  let last = ''

  const publish = (list: WithdrawalView[]) => {
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
            publish(list.map((w) => ({ amount: BigInt(w.amount), requestedSeq: w.requestedSeq, status: w.status, ...(w.batch !== undefined ? { batch: w.batch } : {}), ...(w.paidTx ? { paidTx: w.paidTx } : {}) })))
          }
          return
        } catch (e) {
          // An older node has no such route ("no route GET …"): derive the statuses instead.
          if (e instanceof ApiError && e.code === 'NOT_FOUND' && e.message.startsWith('no route')) fromNode = false
          else if (!(e instanceof ApiError && e.code === 'NOT_FOUND')) throw e
        }
      }
      if (fromNode === false && account === accountOf()) publish(derived(account))
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
      publish([])
      void update()
    },
    requested(w) {
      local.push(w)
      void update()
    },
  }
}
