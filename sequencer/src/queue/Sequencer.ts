import type Database from 'better-sqlite3'
import {
  apply,
  bytesEqual,
  createNodeEd25519Verify,
  decodeSignedTx,
  DecodeError,
  encodeTask,
  nextLogHead,
  TASK_TAG,
  TaskRejectedError,
  toHex,
  type ApplyContext,
  type Blake2b256,
  type KeyTask,
  type LagoonError,
  type ProtocolParams,
  type Task,
} from '../core.js'
import { NodeError } from '../errors/NodeError.js'
import type { Histogram, Metrics } from '../metrics/Metrics.js'
import { bytesKey } from '../storage/bytesKey.js'
import type { SqliteState } from '../storage/SqliteState.js'
import type { TaskLog } from '../storage/TaskLog.js'
import { InFlight, type InFlightCopy } from './InFlight.js'
import { receiptOf, type Receipt } from './Receipt.js'
import type { VerifyPool } from './VerifyPool.js'

/** Tuning of the queue and the applier. */
export interface SequencerOptions {
  /** Most tasks in one SQLite transaction (group commit). Default 4096. */
  readonly maxGroup?: number
  /** Most tasks waiting; beyond it submissions fail with QUEUE_FULL. Default 100,000. */
  readonly maxQueue?: number
  /** Workers that pre-verify tx signatures; null verifies inline on the applier. */
  readonly verifyPool?: VerifyPool | null
  /**
   * Makes every committed SQLite transaction durable (e.g. `WalSync.sync`: fdatasync of the WAL).
   * When given, receipts resolve only after it; the applier keeps applying the next groups while it
   * runs (pipelined group commit). Null: a commit is durable when it returns (or durability is off).
   */
  readonly sync?: (() => Promise<void>) | null
}

/** A task that is applied and durable on disk, as `onDurable` listeners see it. */
export interface DurableTask {
  readonly task: Task
  /** The task's bytes as the log stores them. */
  readonly bytes: Uint8Array
  readonly receipt: Receipt
}

interface Settled {
  readonly it: Item
  readonly r: Receipt | TaskRejectedError
}

interface Item extends InFlightCopy<Item> {
  readonly task: Task
  readonly bytes: Uint8Array
  readonly id: Uint8Array
  readonly idKey: string
  readonly sig: Uint8Array | null
  twins: Map<string, Item> | null
  twin: boolean
  /** Its answer (set by `enqueue`). */
  promise: Promise<Receipt>
  /** A twin answered with the receipt of the copy that was applied (not itself an entry of the log). */
  echo: boolean
  /** The (key, id, signature) a worker verified, or null. */
  pre: { key: Uint8Array; id: Uint8Array; sig: Uint8Array } | null
  /** performance.now() when enqueued, when its signature check came back, when its group committed. */
  readonly at: number
  readyAt: number
  committedAt: number
  ready: boolean
  whenReady: Promise<void> | null
  resolve: (r: Receipt) => void
  reject: (e: LagoonError) => void
}

/** The placeholder answer of an item not yet queued (never awaited). */
const NO_ANSWER: Promise<Receipt> = new Promise<Receipt>(() => {})
const noop = (): void => {}

/**
 * The FIFO queue and its single applier. Submissions are decoded and pre-checked at once (instance,
 * limits, stale nonce), their signatures verified on the worker pool, and then applied strictly in
 * arrival order through the core's `apply`. Tasks are written in groups, one SQLite transaction per
 * group (group commit); each receipt resolves only after its group's transaction has committed.
 * A resubmitted task (the same signed bytes) gets the original receipt; a copy of a tx body with
 * another signature is queued and decided on its own, so a broken copy never answers for a good one
 * (`InFlight`), and gets the body's receipt if the body applied.
 *
 * @example
 * const seq = new Sequencer(db, state, log, { params, hash }, metrics, { verifyPool: new VerifyPool(2) })
 * const receipt = await seq.submitTx(signedTxBytes) // { txId, seq, logHead }
 */
export class Sequencer {
  private queue: Item[] = []
  private qHead = 0
  private readonly inflight = new InFlight<Item>()
  private scheduled = false
  private _paused = false
  private closing = false
  private idleWaiters: (() => void)[] = []
  private seq: number
  private head: Uint8Array
  private expect: Item['pre'] = null
  private readonly ctx: ApplyContext
  private readonly fallbackVerify = createNodeEd25519Verify()
  private readonly maxGroup: number
  private readonly maxQueue: number
  private readonly pool: VerifyPool | null
  private readonly sync: (() => Promise<void>) | null
  /** Committed, waiting for the next sync to become durable. */
  private unsynced: Settled[] = []
  private syncing = false
  private _durableSeq: number
  private readonly durableListeners = new Set<(tasks: readonly DurableTask[]) => void>()
  /** Where a task's time from submission to its durable receipt goes. */
  private readonly stages: { readonly verify: Histogram; readonly apply: Histogram; readonly sync: Histogram; readonly total: Histogram }

  constructor(
    private readonly db: Database.Database,
    private _state: SqliteState,
    private readonly log: TaskLog,
    base: { readonly params: ProtocolParams; readonly hash: Blake2b256 },
    private readonly metrics: Metrics,
    options: SequencerOptions = {},
  ) {
    const tip = log.tip()
    this.seq = tip.seq
    this._durableSeq = tip.seq
    this.head = tip.head
    this.maxGroup = options.maxGroup ?? 4096
    this.maxQueue = options.maxQueue ?? 100_000
    this.pool = options.verifyPool ?? null
    this.sync = options.sync ?? null
    // The verifier apply sees: a signature a worker already verified against the same key, for the
    // task being applied, is accepted without verifying again; anything else is verified here.
    this.ctx = {
      params: base.params,
      hash: base.hash,
      verifyEd25519: (key, msg, sig) => {
        const e = this.expect
        if (e && msg === e.id && sig === e.sig && bytesEqual(key, e.key)) return true
        this.metrics.inc('lagoon_inline_verifies_total')
        return this.fallbackVerify(key, msg, sig)
      },
    }
    metrics.describe('lagoon_tasks_applied_total', 'Tasks applied and appended to the log, by kind')
    metrics.describe('lagoon_rejections_total', 'Submissions refused, by code')
    metrics.describe('lagoon_group_commits_total', 'SQLite transactions of the applier')
    metrics.describe('lagoon_queue_depth', 'Tasks waiting to be applied')
    metrics.describe(
      'lagoon_submit_stage_seconds',
      'Time of a task from submission to its durable receipt, by stage: verify (the worker pool; signed transfers only), apply (waiting in the FIFO and its group commit), sync (the WAL fdatasync), total',
    )
    this.stages = {
      verify: metrics.histogram('lagoon_submit_stage_seconds', { stage: 'verify' }),
      apply: metrics.histogram('lagoon_submit_stage_seconds', { stage: 'apply' }),
      sync: metrics.histogram('lagoon_submit_stage_seconds', { stage: 'sync' }),
      total: metrics.histogram('lagoon_submit_stage_seconds', { stage: 'total' }),
    }
    metrics.gauge('lagoon_queue_depth', () => this.queueDepth)
    metrics.gauge('lagoon_log_seq', () => this.seq)
    metrics.gauge('lagoon_paused', () => (this._paused ? 1 : 0))
  }

  /** The state (read it between group commits; it is replaced after a failed transaction). */
  get state(): SqliteState {
    return this._state
  }

  /** Tasks waiting to be applied. */
  get queueDepth(): number {
    return this.queue.length - this.qHead
  }

  /** The log position of the last applied task. */
  get tip(): { seq: number; head: Uint8Array } {
    return { seq: this.seq, head: this.head }
  }

  /** The last log seq known to be on disk (≤ `tip.seq`; equal when the node is idle). */
  get durableSeq(): number {
    return this.sync ? this._durableSeq : this.seq
  }

  /** Whether ingress (user submissions) is paused. */
  get paused(): boolean {
    return this._paused
  }

  /**
   * Stops accepting user submissions (PAUSED); queued tasks still apply. Layer-1 tasks still enter.
   *
   * @example
   * sequencer.pause()
   */
  pause(): void {
    this._paused = true
  }

  /**
   * Accepts user submissions again.
   *
   * @example
   * sequencer.resume()
   */
  resume(): void {
    this._paused = false
  }

  /**
   * The receipt of an applied task, by id.
   *
   * @example
   * sequencer.receipt(tx.id)?.seq
   */
  receipt(id: Uint8Array): Receipt | undefined {
    // A task still in flight has no receipt yet, even once committed: it is not durable before its sync.
    if (this.inflight.has(bytesKey(id))) return undefined
    const p = this.log.positionOf(id)
    return p && receiptOf(id, p.seq, p.head)
  }

  /**
   * Calls `listener` with the applied tasks of every group (or sync batch) once it is durable, in log
   * order, right when `durableSeq` advances past them (a group whose sync failed is never reported:
   * a listener that must not miss an entry reads the log up to `durableSeq`). Returns the unsubscribe function.
   *
   * @example
   * const off = sequencer.onDurable((tasks) => console.log(tasks.length, 'durable'))
   */
  onDurable(listener: (tasks: readonly DurableTask[]) => void): () => void {
    this.durableListeners.add(listener)
    return () => void this.durableListeners.delete(listener)
  }

  private emitDurable(settled: readonly Settled[]): void {
    if (this.durableListeners.size === 0) return
    const tasks: DurableTask[] = []
    for (const { it, r } of settled) if (!(r instanceof TaskRejectedError) && !it.echo) tasks.push({ task: it.task, bytes: it.bytes, receipt: r })
    if (tasks.length === 0) return
    for (const l of this.durableListeners) {
      try {
        l(tasks)
      } catch {
        this.metrics.inc('lagoon_durable_listener_failures_total')
      }
    }
  }

  /**
   * Submits signed-tx bytes (untrusted). Resolves with the receipt once durable; rejects with a
   * `DecodeError`, a `TaskRejectedError` (the core's code) or a `NodeError`. Nothing is stored for a
   * rejected tx.
   *
   * @example
   * await sequencer.submitTx(tx.bytes)
   */
  async submitTx(bytes: Uint8Array): Promise<Receipt> {
    this.admit()
    const limits = this.ctx.params.limits
    if (bytes.length > limits.maxTxBytes) {
      throw new DecodeError('TOO_LARGE', `the transaction is ${bytes.length} bytes; at most ${limits.maxTxBytes}`, {
        details: { size: bytes.length, max: limits.maxTxBytes },
      })
    }
    const tx = decodeSignedTx(bytes, this.ctx.hash, limits)
    if (!bytesEqual(tx.body.instance, this.ctx.params.instance)) {
      throw this.rejected(
        new TaskRejectedError({ code: 'WRONG_INSTANCE', message: 'the transaction is for another Lagoon instance', details: { expected: toHex(this.ctx.params.instance) } }),
      )
    }
    const idKey = bytesKey(tx.id)
    // The id is H(body): the signature is not in it. Only the same signed bytes join an item in flight
    // (an idempotent resubmit); a copy with another signature must not take the first one's fate.
    const pending = this.inflight.first(idKey)
    if (pending !== undefined) {
      const same = this.inflight.sameSigned(pending, tx.signature)
      if (same !== undefined) return same.promise
    }
    const signer = this._state.getAccount(tx.body.signer)
    // An applied tx raised its signer's nonce past its own, so only a stale nonce can be a
    // resubmission: the log is searched for those alone, not for every submission.
    if (signer && tx.body.nonce < signer.nonce) {
      // A copy of a body in flight that can no longer apply: the body's receipt once its copies settle.
      if (pending !== undefined) return this.afterCopies(pending, tx.id, tx.body.nonce, signer.nonce)
      const applied = this.receipt(tx.id)
      if (applied) return applied
      throw this.rejected(
        new TaskRejectedError({
          code: 'BAD_NONCE',
          message: `nonce ${tx.body.nonce} is not the account's next nonce ${signer.nonce}`,
          details: { expected: signer.nonce, got: tx.body.nonce },
        }),
      )
    }
    const task: Task = { kind: 'tx', tx }
    const item = this.newItem(task, encodeTask(task), tx.id, idKey, tx.signature)
    if (this.pool && signer?.l2Key) {
      const key = signer.l2Key
      item.ready = false
      item.whenReady = this.pool.verify(key, tx.id, tx.signature).then((ok) => {
        if (ok) item.pre = { key, id: tx.id, sig: tx.signature }
        item.ready = true
        item.readyAt = performance.now()
      })
    }
    return this.enqueue(item, pending)
  }

  /**
   * Submits a CIP-8 registration or key rotation (user ingress: refused while paused).
   *
   * @example
   * await sequencer.submitKeyTask(keyTask(u))
   */
  async submitKeyTask(task: KeyTask): Promise<Receipt> {
    this.admit()
    return this.submitTask(task)
  }

  /**
   * Submits any task (the layer-1 follower's deposits and paid exits, or a key task), applied in
   * FIFO order with the rest. Not refused while paused.
   *
   * @example
   * await sequencer.submitTask({ kind: 'deposit', txHash, index: 0, owner, amount: 10_000_000n })
   */
  async submitTask(task: Task): Promise<Receipt> {
    if (this.closing) throw new NodeError('SHUTTING_DOWN', 'the node is shutting down')
    const bytes = encodeTask(task)
    const id = task.kind === 'tx' ? task.tx.id : this.ctx.hash(bytes)
    const idKey = bytesKey(id)
    const known = this.known(id, idKey)
    if (known) return known
    return this.enqueue(this.newItem(task, bytes, id, idKey, null))
  }

  /**
   * Resolves when the queue is empty and nothing is being applied.
   *
   * @example
   * await sequencer.idle()
   */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /**
   * Refuses new tasks, applies what is queued, and snapshots the state tree for a fast restart.
   *
   * @example
   * await sequencer.close(); db.close()
   */
  async close(): Promise<void> {
    this.closing = true
    await this.idle()
    this._state.saveTree(this.seq)
  }

  private admit(): void {
    if (this.closing) throw new NodeError('SHUTTING_DOWN', 'the node is shutting down')
    if (this._paused) throw this.rejected(new NodeError('PAUSED', 'ingress is paused by the operator; retry later'))
    if (this.queueDepth >= this.maxQueue) {
      throw this.rejected(new NodeError('QUEUE_FULL', `the queue holds ${this.queueDepth} tasks; retry later`, { details: { retryAfterMs: 100 } }))
    }
  }

  private rejected<E extends LagoonError>(e: E): E {
    this.metrics.inc('lagoon_rejections_total', { code: e.code })
    return e
  }

  private known(id: Uint8Array, idKey: string): Promise<Receipt> | undefined {
    // The node's own tasks (layer-1 events, key tasks): their id hashes all their bytes.
    const pending = this.inflight.first(idKey)
    if (pending) return pending.promise
    const r = this.receipt(id)
    return r && Promise.resolve(r)
  }

  /**
   * The answer of a stale-nonce copy of a body in flight: once every queued copy has settled, the
   * receipt of the one that applied, else BAD_NONCE. (Rare: a third submission of a contested body.)
   */
  private async afterCopies(first: Item, id: Uint8Array, nonce: number, expected: number): Promise<Receipt> {
    await this.inflight.last(first).promise.then(
      () => undefined,
      () => undefined,
    )
    const applied = this.receipt(id)
    if (applied) return applied
    throw this.rejected(
      new TaskRejectedError({ code: 'BAD_NONCE', message: `nonce ${nonce} is not the account's next nonce ${expected}`, details: { expected, got: nonce } }),
    )
  }

  private newItem(task: Task, bytes: Uint8Array, id: Uint8Array, idKey: string, sig: Uint8Array | null): Item {
    const at = performance.now()
    // One object literal: the submit path allocates nothing else per item here.
    return { task, bytes, id, idKey, sig, twins: null, twin: false, echo: false, promise: NO_ANSWER, pre: null,
      at, readyAt: at, committedAt: at, ready: true, whenReady: null, resolve: noop, reject: noop }
  }

  /** Queues an item (a twin of `first` when another copy of its id is in flight). */
  private enqueue(item: Item, first?: Item): Promise<Receipt> {
    const p = new Promise<Receipt>((resolve, reject) => {
      item.resolve = resolve
      item.reject = reject
    })
    item.promise = p
    this.inflight.add(item, first)
    this.queue.push(item)
    this.schedule()
    return p
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.drain())
  }

  private take(): Item[] {
    const group: Item[] = []
    while (this.qHead < this.queue.length && group.length < this.maxGroup) {
      const it = this.queue[this.qHead]!
      if (!it.ready) break
      group.push(it)
      this.qHead++
    }
    if (this.qHead > 4096 && this.qHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.qHead)
      this.qHead = 0
    }
    return group
  }

  private drain(): void {
    this.scheduled = false
    const group = this.take()
    if (group.length === 0) {
      const head = this.queue[this.qHead]
      if (head?.whenReady) void head.whenReady.then(() => this.schedule())
      else this.notifyIdle()
      return
    }
    const results: (Receipt | TaskRejectedError)[] = []
    const before = { seq: this.seq, head: this.head }
    try {
      this.db.transaction(() => {
        for (const it of group) results.push(this.applyOne(it))
      })()
    } catch (e) {
      // A bug or an I/O failure: nothing of the group is stored; reload the cache from the file.
      this.seq = before.seq
      this.head = before.head
      this._state = this._state.reload(before.seq)
      this.metrics.inc('lagoon_group_failures_total')
      for (const it of group) {
        this.inflight.release(it)
        it.reject(new NodeError('INTERNAL', `the task could not be stored: ${(e as Error).message}`))
      }
      this.afterGroup()
      return
    }
    this.metrics.inc('lagoon_group_commits_total')
    this.metrics.inc('lagoon_group_tasks_total', {}, group.length)
    const committedAt = performance.now()
    for (const it of group) it.committedAt = committedAt
    if (this.sync) {
      for (let i = 0; i < group.length; i++) this.unsynced.push({ it: group[i]!, r: results[i]! })
      this.startSync()
    } else {
      for (let i = 0; i < group.length; i++) this.settle(group[i]!, results[i]!, committedAt)
      if (this.durableListeners.size > 0) this.emitDurable(group.map((it, i) => ({ it, r: results[i]! })))
    }
    this.afterGroup()
  }

  /** Answers a task whose group is durable (since `durableAt`, a performance.now()). */
  private settle(it: Item, r: Receipt | TaskRejectedError, durableAt: number): void {
    const s = this.stages
    if (it.whenReady) s.verify.observe((it.readyAt - it.at) / 1000)
    s.apply.observe((it.committedAt - Math.max(it.at, it.readyAt)) / 1000)
    s.sync.observe((durableAt - it.committedAt) / 1000)
    s.total.observe((durableAt - it.at) / 1000)
    this.inflight.release(it)
    if (r instanceof TaskRejectedError) {
      this.metrics.inc('lagoon_rejections_total', { code: r.code })
      it.reject(r)
    } else {
      if (!it.echo) this.metrics.inc('lagoon_tasks_applied_total', { kind: it.task.kind })
      it.resolve(r)
    }
  }

  /**
   * One sync at a time covers every group committed before it started; groups committed meanwhile
   * wait for the next one. Rejections wait too: they may depend on a task that is not yet durable.
   */
  private startSync(): void {
    if (this.syncing || this.unsynced.length === 0 || !this.sync) return
    this.syncing = true
    const batch = this.unsynced
    this.unsynced = []
    const upTo = this.seq
    this.metrics.inc('lagoon_syncs_total')
    this.sync().then(
      () => {
        this._durableSeq = upTo
        const durableAt = performance.now()
        for (const { it, r } of batch) this.settle(it, r, durableAt)
        this.emitDurable(batch)
        this.afterSync()
      },
      (e: unknown) => {
        // The commits are in the file but may not be on disk: refuse new submissions, fail these.
        this._paused = true
        this.metrics.inc('lagoon_sync_failures_total')
        for (const { it } of batch) {
          this.inflight.release(it)
          it.reject(new NodeError('INTERNAL', `the task could not be made durable: ${(e as Error).message}`))
        }
        this.afterSync()
      },
    )
  }

  private afterSync(): void {
    this.syncing = false
    this.startSync()
    this.notifyIdle()
  }

  private isIdle(): boolean {
    return this.queueDepth === 0 && !this.scheduled && !this.syncing && this.unsynced.length === 0
  }

  private afterGroup(): void {
    if (this.queueDepth > 0) this.schedule()
    else this.notifyIdle()
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return
    const ws = this.idleWaiters
    this.idleWaiters = []
    for (const w of ws) w()
  }

  /** Applies one task inside the group's transaction. */
  private applyOne(it: Item): Receipt | TaskRejectedError {
    if (it.twin) {
      // Another copy of this body came first; if it applied, this one is a resubmission of it.
      const p = this.log.positionOf(it.id)
      if (p) {
        it.echo = true
        return receiptOf(it.id, p.seq, p.head)
      }
    }
    this.expect = it.pre
    const r = apply(this._state, it.task, this.ctx)
    this.expect = null
    if (!r.ok) return new TaskRejectedError(r.rejection)
    const seq = this.seq + 1
    const head = nextLogHead(this.ctx.hash, this.head, seq, it.bytes)
    this._state.commit(r.changes, it.task, seq)
    this.log.append(seq, TASK_TAG[it.task.kind], it.id, it.bytes, head)
    const t = it.task
    if (t.kind === 'tx') {
      for (const a of t.tx.body.actions) if (a.type === 'withdraw') this.log.exitRequested(t.tx.body.signer, a.amount, seq)
    } else if (t.kind === 'exitPaid') {
      this.log.exitPaid(t.account, t.amount, t.txHash, seq)
    }
    this.seq = seq
    this.head = head
    return receiptOf(it.id, seq, head)
  }
}
