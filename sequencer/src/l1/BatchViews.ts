import { bytesEqual, decodeTask, fromHex, leafHash, MemoryLedger, StateTree, toHex, type ApplyContext, type Batch, type LeafFields } from '../core.js'
import { NodeError } from '../errors/NodeError.js'
import type { Metrics } from '../metrics/Metrics.js'
import type { IndexedLeaf } from '../storage/LeafJournal.js'
import type { TaskLog } from '../storage/TaskLog.js'
import type { L1Log } from './L1Settings.js'

/** The state at a batch's root, as far as the poster and the proof route need it. */
export interface BatchView {
  readonly number: number
  readonly root: Uint8Array
  readonly tree: StateTree
  /** The leaves with a pending exit (to pay). */
  readonly exits: { index: number; leaf: LeafFields }[]
  /** An account's leaf at the batch (from the state and a `LeafJournal`, or from a replay). */
  readonly leafOf: (id: Uint8Array) => IndexedLeaf | undefined
  /** True for a view rebuilt by replaying the log. */
  readonly replayed: boolean
  /** Stops what keeps the view current (its journal); called when the view is dropped. */
  readonly release: () => void
}

/** What a view needs of a batch. */
type BatchRef = Pick<Batch, 'number' | 'root' | 'lastSeq'>

/**
 * The poster's views of committed batches: the one in flight and the one before it (the anchor's:
 * its payouts and the proofs users withdraw with), kept from when their roots were taken; any other
 * rebuilt by replaying the log when asked for (after a restart: `lagoon_view_replays_total`).
 *
 * @example
 * const views = new BatchViews(log, ctx, metrics, out)
 * views.keep(view)
 * views.proofAt(batch, account, lastConfirmed)
 */
export class BatchViews {
  private readonly views = new Map<number, BatchView>()

  constructor(
    private readonly log: TaskLog,
    private readonly ctx: ApplyContext,
    private readonly metrics: Metrics,
    private readonly out: L1Log,
  ) {}

  /**
   * Keeps `view` (a batch just taken), and drops every view older than the one before it: an older
   * root is on no anchor any more, so its tree copy would only be memory.
   */
  keep(view: BatchView): void {
    this.drop(view.number)
    this.views.set(view.number, view)
    for (const k of this.views.keys()) if (k < view.number - 1) this.drop(k)
  }

  /** Drops a batch's view (a batch re-taken or dropped). */
  drop(n: number): void {
    this.views.get(n)?.release()
    this.views.delete(n)
  }

  /** The state at batch `b`'s root: the kept view, else rebuilt by replaying the log up to the batch's last seq (checked against the root). */
  of(b: BatchRef): BatchView {
    return this.views.get(b.number) ?? this.replay(b)
  }

  /**
   * An account's leaf and Merkle proof under batch `b`'s root, or undefined if the account did not
   * exist then, or `'not kept'` for a batch older than the ones kept in memory other than the latest
   * confirmed (`latest`). The leaf comes from the batch's view (state + journal); it is checked
   * against the view's tree, and a view that fails the check is rebuilt by replay.
   */
  proofAt(b: BatchRef, id: Uint8Array, latest: number | undefined): { leaf: IndexedLeaf; proof: ReturnType<StateTree['prove']> } | undefined | 'not kept' {
    // Replaying the log is the main thread's for as long as it takes (seconds at a million accounts):
    // only for the latest confirmed batch (after a restart), never for any old batch a caller names.
    const kept = this.views.get(b.number)
    if (!kept && b.number !== latest) return 'not kept'
    const view = kept ?? this.replay(b)
    const at = view.leafOf(id)
    // An account absent at the batch is answered as such: no replay, whoever asks.
    if (!at) return undefined
    if (bytesEqual(leafHash(this.ctx.hash, at.leaf), view.tree.getLeaf(at.index))) return { leaf: at, proof: view.tree.prove(at.index) }
    if (view.replayed) throw new NodeError('INTERNAL', `batch ${b.number}: the replayed leaf of account ${toHex(id)} is not in its tree`)
    // A live view whose leaf is not in its tree (a bug): answer from a replay, never a wrong proof.
    this.out('error', 'batch view failed its check: replaying the log', { batch: b.number, account: toHex(id) })
    const replayed = this.replay(b)
    const again = replayed.leafOf(id)
    return again && { leaf: again, proof: replayed.tree.prove(again.index) }
  }

  private replay(b: BatchRef): BatchView {
    this.metrics.inc('lagoon_view_replays_total')
    const ledger = new MemoryLedger(this.ctx, { keepLog: false })
    for (let from = 1; from <= b.lastSeq; ) {
      const page = this.log.range(from, Math.min(10_000, b.lastSeq - from + 1))
      if (page.length === 0) break
      for (const e of page) {
        const r = ledger.submit(decodeTask(e.bytes, this.ctx.hash, this.ctx.params.limits))
        if (!r.ok) throw new NodeError('INTERNAL', `replay of seq ${e.seq} rejected: ${r.rejection.code}`)
      }
      from = page[page.length - 1]!.seq + 1
    }
    const accounts = ledger.state.allAccounts()
    const leaves = new Uint8Array(32 * accounts.length)
    const fields = accounts.map((a) => ({ index: a.index, leaf: ledger.state.leafFields(a) }))
    for (const f of fields) leaves.set(leafHash(this.ctx.hash, f.leaf), 32 * f.index)
    const tree = StateTree.fromLeaves(this.ctx.hash, leaves)
    const root = tree.root()
    if (!bytesEqual(root, fromHex(b.root))) throw new NodeError('INTERNAL', `replay to seq ${b.lastSeq} gives root ${toHex(root)}, batch ${b.number} has ${b.root}`)
    const byId = new Map(fields.map((f) => [toHex(f.leaf.account), f]))
    const view: BatchView = {
      number: b.number,
      root,
      tree,
      exits: fields.filter((f) => f.leaf.pendingExit > 0n),
      leafOf: (id) => byId.get(toHex(id)),
      replayed: true,
      release: () => {},
    }
    this.drop(b.number)
    this.views.set(b.number, view)
    return view
  }
}
