import { encodeCanonical, type CborValue } from '../cbor/canonical.js'
import { TASK_TAG, type Task } from './types.js'

/**
 * The canonical CBOR of a task: the bytes stored in the task log and chained into its head.
 *
 * @example
 * const bytes = encodeTask({ kind: 'deposit', txHash, index: 0, owner, amount: 10_000_000n })
 */
export function encodeTask(task: Task): Uint8Array {
  let v: CborValue
  switch (task.kind) {
    case 'tx': {
      // The signed tx is already canonical bytes: prefix them with the list header and tag (hot path).
      const out = new Uint8Array(2 + task.tx.bytes.length)
      out[0] = 0x82
      out[1] = TASK_TAG.tx
      out.set(task.tx.bytes, 2)
      return out
    }
    case 'register':
    case 'rotate':
      v = [TASK_TAG[task.kind], task.account, task.signature, task.key]
      break
    case 'deposit':
      v = [TASK_TAG.deposit, task.txHash, task.index, task.owner, task.amount]
      break
    case 'exitPaid':
      v = [TASK_TAG.exitPaid, task.account, task.amount, task.txHash]
      break
  }
  return encodeCanonical(v)
}
