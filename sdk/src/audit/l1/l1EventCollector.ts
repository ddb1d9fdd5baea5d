import { toHex } from '../../core/bytes.js'
import type { Task } from '../../core/task/types.js'

/**
 * A deposit credited by the log.
 *
 * @example
 * collector.events.credits.get(`${txHash}#0`)?.seq
 */
export interface CreditedDeposit {
  readonly seq: number
  /** hex */
  readonly owner: string
  readonly amount: bigint
}

/**
 * An exit the log records as paid on layer 1.
 *
 * @example
 * collector.events.exits.get(withdrawTxHash)?.map((e) => e.account)
 */
export interface RecordedExit {
  readonly seq: number
  /** hex */
  readonly account: string
  readonly amount: bigint
}

/**
 * The layer-1 events a replay saw: what `checkAgainstL1` compares with the chain.
 *
 * @example
 * const { credits, exits } = l1EventCollector().events
 */
export interface L1Events {
  /** By deposit out-ref `txHash#index`. */
  readonly credits: Map<string, CreditedDeposit>
  /** By the layer-1 tx that paid them. */
  readonly exits: Map<string, RecordedExit[]>
}

/**
 * Collects the deposits credited and the exits recorded by a replay: pass `onApplied` to `auditLog`
 * (or call it from a relay's applier), then hand `events` to `checkAgainstL1`.
 *
 * @example
 * const c = l1EventCollector()
 * const r = await auditLog({ client, ctx, onApplied: c.onApplied })
 * checkAgainstL1({ steps, result: r, events: c.events })
 */
export function l1EventCollector(start?: L1Events): { events: L1Events; onApplied: (seq: number, task: Task) => void } {
  const events: L1Events = start ?? { credits: new Map(), exits: new Map() }
  return {
    events,
    onApplied(seq, task) {
      if (task.kind === 'deposit') {
        events.credits.set(`${toHex(task.txHash)}#${task.index}`, { seq, owner: toHex(task.owner), amount: task.amount })
      } else if (task.kind === 'exitPaid') {
        const k = toHex(task.txHash)
        const list = events.exits.get(k) ?? []
        list.push({ seq, account: toHex(task.account), amount: task.amount })
        events.exits.set(k, list)
      }
    },
  }
}
