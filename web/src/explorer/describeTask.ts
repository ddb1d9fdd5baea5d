import { toHex, type Task } from '../../../sdk/src/index.js'
import { ada, short } from '../ui/format.js'

/** A task of the log in words: its kind, whom it is about, and what it does. */
export interface TaskLine {
  readonly kind: Task['kind'] | 'undecodable'
  /** The signer (a tx) or the account the task names, hex. */
  readonly who: string
  readonly what: string
  /** Accounts the task touches (signer, recipients), hex: for the accounts table. */
  readonly accounts: readonly string[]
}

/**
 * Describes a decoded task for the explorer: transfers with amounts and recipients, withdrawals,
 * records, registrations, deposits and layer-1 payouts.
 *
 * @example
 * describeTask(task).what // "5 ₳ → 3f2a…9c01"
 */
export function describeTask(task: Task | null, error?: string): TaskLine {
  if (task === null) return { kind: 'undecodable', who: '', what: error ?? 'the entry does not decode', accounts: [] }
  switch (task.kind) {
    case 'tx': {
      const b = task.tx.body
      const signer = toHex(b.signer)
      const accounts = [signer]
      const parts = b.actions.map((a) => {
        switch (a.type) {
          case 'transfer':
            accounts.push(toHex(a.to))
            return `${ada(a.amount)} → ${short(toHex(a.to))}`
          case 'withdraw':
            return `withdraw ${ada(a.amount)}`
          case 'put':
            return `put ${short(toHex(a.key))} (${a.value.length} B)`
          case 'delete':
            return `delete ${short(toHex(a.key))}`
        }
      })
      if (b.fee > 0n) parts.push(`fee ${ada(b.fee)}`)
      return { kind: 'tx', who: signer, what: `nonce ${b.nonce}: ${parts.join(', ')}`, accounts }
    }
    case 'register':
    case 'rotate':
      return { kind: task.kind, who: toHex(task.account), what: task.kind === 'register' ? 'key authorization (CIP-8), epoch 0' : 'key rotation (CIP-8)', accounts: [toHex(task.account)] }
    case 'deposit':
      return { kind: 'deposit', who: toHex(task.owner), what: `+${ada(task.amount)} from layer-1 ${short(toHex(task.txHash))}#${task.index}`, accounts: [toHex(task.owner)] }
    case 'exitPaid':
      return { kind: 'exitPaid', who: toHex(task.account), what: `${ada(task.amount)} paid on layer 1 by ${short(toHex(task.txHash))}`, accounts: [toHex(task.account)] }
  }
}
