import { bytesEqual, decodeTask, fromHex, MemoryState, apply, toHex, type ApplyContext, type LeafFields, type MerkleProof } from '@lagoon/sdk'
import type { NodeBatch } from '@lagoon/sdk/audit-l1'
import type { TaskLog } from '@lagoon/sequencer/storage/TaskLog'

/**
 * A committed state the relay checked: batch number, its last seq, root and head.
 *
 * @example
 * view.advance({ number: b.number, lastSeq: b.lastSeq, root: b.root, head: b.logHead })
 */
export interface CheckedBatch {
  readonly number: number
  readonly lastSeq: number
  /** hex */
  readonly root: string
  /** hex */
  readonly head: string
}

/**
 * The state at the last commitment the relay checked, kept in memory beside the tip state: advanced
 * batch by batch by replaying the relay's own (already verified) log up to each batch's last seq, so
 * the root is compared at exactly the committed position, and proofs at that batch come from it.
 *
 * @example
 * const view = new CommittedView(ctx, log)
 * view.advance({ number: 1, lastSeq: 42, root, head }) // { ok: true } or what differs
 * view.prove(account)
 */
export class CommittedView {
  private state: MemoryState
  private seq = 0
  private head: Uint8Array = new Uint8Array(32)
  private batchNumber = 0

  constructor(
    private readonly ctx: ApplyContext,
    private readonly log: TaskLog,
  ) {
    this.state = new MemoryState(ctx.hash)
  }

  /** The batch the view is at (0: the genesis). */
  get batch(): number {
    return this.batchNumber
  }

  /** The seq the view is at. */
  get lastSeq(): number {
    return this.seq
  }

  /** Replays the stored log from the view's seq to `to` (the entries were verified when stored). */
  private replayTo(state: MemoryState, from: number, to: number): Uint8Array | undefined {
    let head: Uint8Array | undefined
    // Signatures were checked when the entries were stored: no need to pay for them twice.
    const trusted: ApplyContext = { ...this.ctx, verifyEd25519: () => true }
    for (let at = from; at <= to; ) {
      const page = this.log.range(at, Math.min(10_000, to - at + 1))
      if (page.length === 0) break
      for (const e of page) {
        const r = apply(state, decodeTask(e.bytes, this.ctx.hash, this.ctx.params.limits), trusted)
        if (!r.ok) throw new Error(`the stored log does not replay at seq ${e.seq}: ${r.rejection.code}`)
        state.commit(r.changes)
        head = e.head
      }
      at = page[page.length - 1]!.seq + 1
    }
    return head
  }

  /**
   * Moves the view to batch `b` (after the current one, with `b.lastSeq` stored) and compares its root
   * and log head with the batch's. On a mismatch the view stays at the last batch that matched (its
   * state is at `b.lastSeq`: the relay stops there).
   */
  advance(b: CheckedBatch): { ok: true } | { ok: false; field: 'root' | 'head'; expected: string; found: string } {
    if (b.lastSeq < this.seq) throw new Error(`batch ${b.number} ends at seq ${b.lastSeq}, before the view's ${this.seq}`)
    const head = this.replayTo(this.state, this.seq + 1, b.lastSeq) ?? this.head
    this.seq = b.lastSeq
    this.head = head
    const root = toHex(this.state.root())
    if (root !== b.root.toLowerCase()) return { ok: false, field: 'root', expected: root, found: b.root }
    if (!bytesEqual(head, fromHex(b.head))) return { ok: false, field: 'head', expected: toHex(head), found: b.head }
    this.batchNumber = b.number
    return { ok: true }
  }

  /** An account's leaf and proof under the view's root, or undefined. */
  prove(account: Uint8Array): { leaf: LeafFields; proof: MerkleProof; root: Uint8Array } | undefined {
    const p = this.state.prove(account)
    return p && { ...p, root: this.state.root() }
  }

  /** A one-off view at an earlier batch (replayed from the genesis). */
  at(b: CheckedBatch): CommittedView {
    const v = new CommittedView(this.ctx, this.log)
    v.replayTo(v.state, 1, b.lastSeq)
    v.seq = b.lastSeq
    v.batchNumber = b.number
    return v
  }
}

/**
 * The part of a node's batch a {@link CommittedView} checks.
 *
 * @example
 * view.advance(checkedOf(batch))
 */
export function checkedOf(b: NodeBatch): CheckedBatch {
  return { number: b.number, lastSeq: b.lastSeq, root: b.root, head: b.logHead }
}
