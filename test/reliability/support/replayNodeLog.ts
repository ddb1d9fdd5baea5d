import { toHex } from '../../../sdk/src/core/bytes.js'
import { MemoryLedger } from '../../../sdk/src/core/ledger/MemoryLedger.js'
import { decodeTask } from '../../../sdk/src/core/task/decodeTask.js'
import { createNodeEd25519Verify } from '../../../sdk/src/node/createNodeEd25519Verify.js'
import type { LagoonNode } from '../../../sequencer/src/node/openNode.js'

/**
 * Replays a node's task log (read from its file; up to seq `upTo`) in a fresh `MemoryLedger`, as an auditor would, and
 * checks each entry's seq and head; the replayed root, seq and head, and the ids seen twice (none
 * when nothing was applied twice).
 *
 * @example
 * const r = replayNodeLog(node); expect(r.root).toBe(toHex(node.sequencer.state.root()))
 */
export function replayNodeLog(node: LagoonNode, upTo = Infinity): {
  root: string
  seq: number
  head: string
  duplicates: string[]
  /** Every account's balance and pending exit after the replay. */
  accounts: { balance: bigint; pendingExit: bigint }[]
  /** The deposits credited in the log (`txHash#index` → lovelace). */
  credited: Map<string, bigint>
} {
  const ledger = new MemoryLedger({ params: node.params, hash: node.hash, verifyEd25519: createNodeEd25519Verify() }, { keepLog: false })
  const seen = new Set<string>()
  const duplicates: string[] = []
  const credited = new Map<string, bigint>()
  const tip = Math.min(upTo, node.log.tip().seq)
  for (let from = 1; from <= tip; ) {
    const page = node.log.range(from, Math.min(5000, tip - from + 1))
    if (page.length === 0) break
    for (const e of page) {
      const task = decodeTask(e.bytes, node.hash, node.params.limits)
      const id = toHex(task.kind === 'tx' ? task.tx.id : node.hash(e.bytes))
      if (seen.has(id)) duplicates.push(id)
      seen.add(id)
      if (task.kind === 'deposit') credited.set(`${toHex(task.txHash)}#${task.index}`, task.amount)
      const r = ledger.submit(task)
      if (!r.ok) throw new Error(`replay of seq ${e.seq} rejected: ${r.rejection.code}`)
      if (r.seq !== e.seq || toHex(r.head) !== toHex(e.head)) throw new Error(`replay diverges at seq ${e.seq}`)
    }
    from = page[page.length - 1]!.seq + 1
  }
  const accounts = ledger.state.allAccounts().map((a) => ({ balance: a.balance, pendingExit: a.pendingExit }))
  return { root: toHex(ledger.state.root()), seq: ledger.seq, head: toHex(ledger.head), duplicates, accounts, credited }
}
