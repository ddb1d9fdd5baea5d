import { encodeCanonical, type CborValue } from '../cbor/canonical.js'
import { txBodyToCbor } from '../tx/encodeTx.js'
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
    case 'tx':
      v = [TASK_TAG.tx, [txBodyToCbor(task.tx.body), task.tx.signature]]
      break
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
