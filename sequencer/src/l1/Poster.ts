import { EventEmitter } from 'node:events'
import type Database from 'better-sqlite3'
import type { UTxO } from '@lucid-evolution/lucid'
import { fromHex, leafHash, toHex, type ApplyContext, type LeafFields } from '../core.js'

export type { BatchRow } from './BatchRow.js'
import type { Metrics } from '../metrics/Metrics.js'
import type { Sequencer } from '../queue/Sequencer.js'
import { bytesKey } from '../storage/bytesKey.js'
import type { IndexedLeaf } from '../storage/LeafJournal.js'
import type { TaskLog } from '../storage/TaskLog.js'
import { toRow, type BatchRow, type RawBatch } from './BatchRow.js'
import { BatchViews } from './BatchViews.js'
import type { Follower, CurrentAnchor } from './Follower.js'
import type { L1Chain } from './L1Chain.js'
import { outRefKey, type L1Log, type L1Settings } from './L1Settings.js'
import { buildCommitTx, buildWithdrawTx, findScriptRefs, refsAddress, sequentialExits, type LagoonScripts, type ScriptRefs } from './sdkL1.js'

/** Why commitments are halted (`Poster.halted`, `GET /health`). */
export interface Halt {
  /** `DEPOSIT_GONE`: a credited deposit left the deposit address before a commit absorbed it. */
  readonly reason: 'DEPOSIT_GONE'
  /** The batch that would have held it. */
  readonly batch: number
  /** The deposits gone, `txHash#index`. */
  readonly outRefs: string[]
}

/**
 * The batcher and layer-1 poster, a step machine driven by the node's layer-1 loop (`step()` never
 * blocks on the chain: what it waits for is re-read from the chain and the database on the next step,
 * so a crash at any point resumes correctly):
 *
 * 1. A batch in flight (`pending` / `submitted`) is confirmed once the anchor shows its number; a
 *    submitted commit that the chain no longer knows (dropped, rolled back) goes back to `pending`; a
 *    pending batch is (re)submitted only against the anchor output its root was taken against — if the
 *    anchor moved (an exit paid meanwhile), the batch is re-taken, so a root never misses an exit
 *    paid on-chain before the anchor it spends.
 * 2. After a commitment, pending exits are paid in Withdraw txs of `exitsPerTx`, proved against the
 *    committed tree with the exits already paid zeroed (checked against the anchor's root).
 * 3. Every `batchIntervalMs` or `batchMaxTasks` tasks (or as soon as `maxDepositsPerCommit` deposits
 *    are credited), a new batch: once the follower has recorded every anchor spend up to the current
 *    anchor, and the log is durable up to its tip, the root is taken at that position and the commit
 *    absorbs every deposit credited up to it (the follower credits no more than one commit holds).
 *
 * A credited deposit that is gone from layer 1 (refunded after its refund time, or rolled back deeper
 * than k) halts commitments: every root from its credit on holds ADA the anchor will never get, so no
 * such root is committed — never a silent re-take without it. The node says so (`halted`, the
 * `lagoon_l1_halted` gauge, `GET /health`, an error in the log each minute); payouts against the last
 * committed root go on, and users leave by the exodus against it (docs/operating.md, "Halted commitments").
 *
 * @example
 * const poster = new Poster(db, chain, scripts, sequencer, log, follower, ctx, settings, metrics, jsonLog)
 * await follower.poll(); await poster.step()
 */
export class Poster {
  private readonly stmt
  /**
   * Status changes, for the API's event stream: `batch` (a `BatchRow` after each change; status
   * `dropped` when an unposted batch is re-taken) and `deposit` (`{ outRef, status: 'absorbed' }`).
   */
  readonly events = new EventEmitter()
  private readonly views: BatchViews
  private forced = false
  /** The instance's reference-script UTxOs once found (they can never be spent, so never move). */
  private refs: ScriptRefs | undefined
  private refsRetryAt = 0
  private readonly startedAt = Date.now()
  private haltedBy: Halt | null = null
  private haltLoggedAt = 0

  constructor(
    private readonly db: Database.Database,
    private readonly chain: L1Chain,
    private readonly scripts: LagoonScripts,
    private readonly sequencer: Sequencer,
    private readonly log: TaskLog,
    private readonly follower: Follower,
    private readonly ctx: ApplyContext,
    private readonly settings: L1Settings,
    private readonly metrics: Metrics,
    private readonly out: L1Log,
  ) {
    this.views = new BatchViews(log, ctx, metrics, out)
    this.stmt = {
      open: db.prepare<[], RawBatch>(`SELECT * FROM batches WHERE status IN ('pending', 'submitted') ORDER BY number DESC LIMIT 1`),
      last: db.prepare<[], RawBatch>(`SELECT * FROM batches ORDER BY number DESC LIMIT 1`),
      lastConfirmed: db.prepare<[], RawBatch>(`SELECT * FROM batches WHERE status = 'confirmed' ORDER BY number DESC LIMIT 1`),
      byNumber: db.prepare<[number], RawBatch>('SELECT * FROM batches WHERE number = ?'),
      all: db.prepare<[number, number], RawBatch>('SELECT * FROM batches WHERE number >= ? ORDER BY number LIMIT ?'),
      insert: db.prepare(
        `INSERT INTO batches (number, root, first_seq, last_seq, log_head, status, created_at, anchor_ref, deposits) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      ),
      remove: db.prepare(`DELETE FROM batches WHERE number = ? AND status IN ('pending', 'submitted')`),
      submitted: db.prepare(`UPDATE batches SET status = 'submitted', l1_tx = ? WHERE number = ?`),
      back: db.prepare(`UPDATE batches SET status = 'pending', l1_tx = NULL WHERE number = ?`),
      confirmedAbove: db.prepare<[number], { number: number }>(`SELECT number FROM batches WHERE status = 'confirmed' AND number > ? ORDER BY number`),
      unconfirm: db.prepare(`UPDATE batches SET status = 'pending', l1_tx = NULL, confirmed_at = NULL WHERE number = ?`),
      confirmed: db.prepare(`UPDATE batches SET status = 'confirmed', confirmed_at = ? WHERE number = ?`),
      absorbed: db.prepare(`UPDATE deposits SET status = 'absorbed' WHERE tx_hash = ? AND out_index = ? AND status = 'credited'`),
      creditedUpTo: db.prepare<[number], { tx_hash: Buffer; out_index: number }>(
        `SELECT tx_hash, out_index FROM deposits WHERE status = 'credited' AND credited_seq <= ? ORDER BY tx_hash, out_index`,
      ),
      creditedCount: db.prepare<[], number>(`SELECT count(*) FROM deposits WHERE status = 'credited'`).pluck(),
      creditedGone: db.prepare<[], { tx_hash: Buffer; out_index: number }>(
        `SELECT tx_hash, out_index FROM deposits WHERE status = 'refunded' AND credited_seq IS NOT NULL ORDER BY credited_seq LIMIT 100`,
      ),
      exitAccounts: db.prepare<[], Buffer>('SELECT DISTINCT account FROM exits WHERE requested_seq IS NOT NULL').pluck(),
      paidAfter: db.prepare<[number], Buffer>('SELECT DISTINCT account FROM exits WHERE paid_seq > ?').pluck(),
      getMeta: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    }
    metrics.describe('lagoon_l1_batches_total', 'Commitments confirmed on layer 1')
    metrics.describe('lagoon_view_replays_total', "Committed batches' states rebuilt by replaying the log (after a restart, or a view that failed its check)")
    metrics.describe('lagoon_l1_exits_submitted_total', 'Exits the poster submitted in Withdraw txs')
    metrics.gauge('lagoon_l1_last_batch', () => this.stmt.lastConfirmed.get()?.number ?? 0)
    metrics.describe('lagoon_l1_halted', '1 while commitments are halted: a credited deposit is gone from layer 1 (see GET /health)')
    metrics.gauge('lagoon_l1_halted', () => (this.haltedBy ? 1 : 0))
  }

  /**
   * Why commitments are halted, or null: a deposit credited on layer 2 is gone from layer 1 before a
   * commit absorbed it, so no root from its credit on can be committed.
   */
  get halted(): Halt | null {
    return this.haltedBy
  }

  /** Posts a batch at the next step even if neither the interval nor the size is reached. */
  forceBatch(): void {
    this.forced = true
  }

  /** Batches from number `from`, at most `limit`. */
  batches(from = 0, limit = 1000): BatchRow[] {
    return this.stmt.all.all(from, limit).map(toRow)
  }

  /** One batch, or undefined. */
  batch(n: number): BatchRow | undefined {
    const r = this.stmt.byNumber.get(n)
    return r && toRow(r)
  }

  /** The latest confirmed batch. */
  lastConfirmed(): BatchRow | undefined {
    const r = this.stmt.lastConfirmed.get()
    return r && toRow(r)
  }

  /**
   * One step (see the class comment). Errors are logged and retried at the next step.
   *
   * @example
   * await poster.step()
   */
  async step(): Promise<void> {
    if (this.follower.frozen) return
    const cur = await this.follower.currentAnchor()
    if (!cur || cur.datum.mode === 'frozen') return
    if (this.unconfirmRolledBack(cur)) return
    const open = this.stmt.open.get()
    if (open) return this.advance(toRow(open), cur)
    if (await this.payout(cur)) return
    if (this.due()) await this.newBatch(cur)
  }

  /**
   * A batch marked confirmed that the anchor no longer shows (its commit rolled back deeper than
   * `commitConfirmations`) goes back to pending: re-posted against the same anchor output, or confirmed
   * again if the network re-includes the commit; its deposits count as in flight meanwhile. A payout
   * of it starts over. (test/reliability/l1Faults.test.ts, "a commitment rolled back …")
   */
  private unconfirmRolledBack(cur: CurrentAnchor): boolean {
    const onChain = Number(cur.datum.batch)
    const lost = this.stmt.confirmedAbove.all(onChain)
    if (lost.length === 0) return false
    this.db.transaction(() => {
      for (const r of lost) this.stmt.unconfirm.run(r.number)
      const payout = JSON.parse(this.stmt.getMeta.get('l1.payout') ?? '{"batch":0}') as { batch: number }
      if (payout.batch > onChain) this.stmt.setMeta.run('l1.payout', JSON.stringify({ batch: 0 }))
    })()
    this.out('warn', 'confirmed commitments rolled back on layer 1: back to pending', { batches: lost.map((r) => r.number), anchorBatch: onChain })
    for (const r of lost) this.events.emit('batch', this.batch(r.number))
    return true
  }

  private due(): boolean {
    const last = this.stmt.last.get()
    const lastSeq = last?.last_seq ?? 0
    const seq = this.sequencer.tip.seq
    if (seq === lastSeq) return this.forced && this.creditedUnabsorbed(seq)
    if (this.forced) return true
    // A full chunk of credited deposits: the follower credits no more until a commit absorbs these.
    if (this.stmt.creditedCount.get()! >= this.settings.maxDepositsPerCommit) return true
    if (seq - lastSeq >= this.settings.batchMaxTasks) return true
    return Date.now() - (last?.created_at ?? this.startedAt) >= this.settings.batchIntervalMs
  }

  private creditedUnabsorbed(seq: number): boolean {
    return this.stmt.creditedUpTo.all(seq).length > 0
  }

  private async advance(b: BatchRow, cur: CurrentAnchor): Promise<void> {
    if (Number(cur.datum.batch) >= b.number) {
      // On chain (posted before a crash, or just confirmed): idempotent, never posted twice.
      if (b.l1Tx && ((await this.chain.confirmations(b.l1Tx)) ?? 0) < this.settings.commitConfirmations) return
      this.db.transaction(() => {
        this.stmt.confirmed.run(Date.now(), b.number)
        for (const r of b.deposits) {
          const [h, i] = r.split('#')
          this.stmt.absorbed.run(fromHex(h!), Number(i))
        }
      })()
      this.metrics.inc('lagoon_l1_batches_total')
      this.events.emit('batch', this.batch(b.number))
      for (const outRef of b.deposits) this.events.emit('deposit', { outRef, status: 'absorbed' })
      this.out('info', 'commitment confirmed', { batch: b.number, root: b.root, lastSeq: b.lastSeq, l1Tx: b.l1Tx, deposits: b.deposits.length })
      return
    }
    if (b.status === 'submitted' && b.l1Tx) {
      const confs = await this.chain.confirmations(b.l1Tx)
      if (confs !== undefined) return // in the mempool or in a block not yet seen by utxosAt: wait
      this.out('warn', 'commit tx unknown to the chain (dropped or rolled back): resubmitting', { batch: b.number, l1Tx: b.l1Tx })
      this.stmt.back.run(b.number)
      this.events.emit('batch', this.batch(b.number))
    }
    if (b.anchorRef !== outRefKey(cur.utxo) || !cur.synced) {
      // The anchor moved since the root was taken (an exit may have been paid): take a new root.
      this.out('warn', 'anchor moved since the batch root was taken: re-taking the batch', { batch: b.number, was: b.anchorRef, now: outRefKey(cur.utxo) })
      this.stmt.remove.run(b.number)
      this.events.emit('batch', { ...b, status: 'dropped' })
      this.views.drop(b.number)
      this.forced = true
      return
    }
    const present = new Map((await this.chain.utxosAt(this.scripts.depositAddress)).map((u) => [outRefKey(u), u]))
    const deposits: UTxO[] = []
    const gone = b.deposits.filter((r) => !present.has(r))
    if (gone.length > 0) {
      // Never committed without them (the root holds their credit): the batch is dropped and commits halt.
      this.stmt.remove.run(b.number)
      this.events.emit('batch', { ...b, status: 'dropped' })
      this.views.drop(b.number)
      this.halt({ reason: 'DEPOSIT_GONE', batch: b.number, outRefs: gone })
      return
    }
    for (const r of b.deposits) deposits.push(present.get(r)!)
    try {
      const { tx } = buildCommitTx(this.chain.lucid, this.scripts, {
        anchor: cur.utxo,
        deposits,
        root: b.root,
        logHead: b.logHead,
        logSeq: BigInt(b.lastSeq),
        now: this.chain.now(),
        refs: await this.scriptRefs(),
      })
      const signed = await (await tx.complete()).sign.withWallet().complete()
      const txHash = await this.chain.submit(signed.toCBOR())
      this.stmt.submitted.run(fromHex(txHash), b.number)
      this.events.emit('batch', this.batch(b.number))
      this.out('info', 'commitment submitted', { batch: b.number, root: b.root, firstSeq: b.firstSeq, lastSeq: b.lastSeq, deposits: deposits.length, l1Tx: txHash })
    } catch (e) {
      this.metrics.inc('lagoon_l1_submit_failures_total', { kind: 'commit' })
      this.out('error', 'commit submission failed; will retry', { batch: b.number, error: String((e as Error)?.message ?? e).slice(0, 2000) })
    }
  }

  private async newBatch(cur: CurrentAnchor): Promise<void> {
    if (!cur.synced) return
    const present = new Set((await this.chain.utxosAt(this.scripts.depositAddress)).map(outRefKey))
    await this.sequencer.idle()
    // From here to the insert: synchronous, so no task is applied in between.
    const { seq, head } = this.sequencer.tip
    if (this.sequencer.durableSeq !== seq) return // not on disk yet: never post a root of a log that could be lost
    const last = this.stmt.last.get()
    const tree = this.sequencer.state.snapshotTree()
    const root = tree.root()
    const exits: { index: number; leaf: LeafFields }[] = []
    for (const a of this.stmt.exitAccounts.all()) {
      const l = this.sequencer.state.leafOfAccount(new Uint8Array(a))
      if (l && l.leaf.pendingExit > 0n) exits.push(l)
    }
    const deposits = this.stmt.creditedUpTo.all(seq).map((r) => `${toHex(r.tx_hash)}#${r.out_index}`)
    const number = Number(cur.datum.batch) + 1
    const gone = [...this.stmt.creditedGone.all().map((r) => `${toHex(r.tx_hash)}#${r.out_index}`), ...deposits.filter((r) => !present.has(r))]
    if (gone.length > 0) return this.halt({ reason: 'DEPOSIT_GONE', batch: number, outRefs: gone })
    this.haltedBy = null
    this.stmt.insert.run(number, root, (last?.last_seq ?? 0) + 1, seq, head, Date.now(), outRefKey(cur.utxo), JSON.stringify(deposits))
    this.events.emit('batch', this.batch(number))
    // Still no task applied since the snapshot (all synchronous): accounts changed from here on are
    // noted as they were at this root, so proofs at this batch need no replay.
    const journal = this.sequencer.state.journal()
    const leafOf = (id: Uint8Array): IndexedLeaf | undefined => {
      const key = bytesKey(id)
      if (journal.has(key)) return journal.get(key) ?? undefined
      const now = this.sequencer.state.leafOfAccount(id) // unchanged since the batch
      return now && now.index < tree.size ? now : undefined
    }
    this.views.keep({ number, root, tree, exits, leafOf, replayed: false, release: () => journal.close() })
    this.forced = false
    this.out('info', 'batch taken', { batch: number, root: toHex(root), lastSeq: seq, deposits: deposits.length, exits: exits.length })
    await this.advance(toRow(this.stmt.byNumber.get(number)!), cur)
  }

  /** Pays the latest confirmed batch's pending exits; true while there is work or a wait. */
  private async payout(cur: CurrentAnchor): Promise<boolean> {
    const b = this.lastConfirmed()
    if (!b) return false
    const state = JSON.parse(this.stmt.getMeta.get('l1.payout') ?? '{"batch":0}') as { batch: number; done?: boolean; tx?: string }
    if (state.batch === b.number && state.done) return false
    if (state.batch === b.number && state.tx) {
      const confs = await this.chain.confirmations(state.tx)
      if (confs === 0) return true
    }
    if (!cur.synced) return true // wait for the follower to record the exits of the last Withdraw (k confirmations)
    const view = this.views.of(b)
    const paid = new Set(this.stmt.paidAfter.all(b.lastSeq).map((a) => toHex(a)))
    const work = view.tree.clone()
    const remaining: { index: number; leaf: LeafFields }[] = []
    for (const e of view.exits) {
      if (paid.has(toHex(e.leaf.account))) work.setLeaf(e.index, leafHash(this.ctx.hash, { ...e.leaf, pendingExit: 0n }))
      else remaining.push(e)
    }
    const done = (why: string) => {
      this.stmt.setMeta.run('l1.payout', JSON.stringify({ batch: b.number, done: true }))
      this.out('info', 'payout finished', { batch: b.number, why })
      return false
    }
    if (toHex(work.root()) !== cur.datum.root) return done('the anchor root differs from the committed tree with the paid exits zeroed (someone else withdrew): the next batch pays the rest')
    if (remaining.length === 0) return done('all exits paid')
    const chunk = remaining.slice(0, this.settings.exitsPerTx)
    try {
      const { exits, root } = sequentialExits(this.ctx.hash, work, chunk, false)
      const { tx } = buildWithdrawTx(this.chain.lucid, this.scripts, { anchor: cur.utxo, exits, newRoot: root, refs: await this.scriptRefs() })
      const signed = await (await tx.complete()).sign.withWallet().complete()
      const txHash = await this.chain.submit(signed.toCBOR())
      this.stmt.setMeta.run('l1.payout', JSON.stringify({ batch: b.number, tx: txHash }))
      this.metrics.inc('lagoon_l1_exits_submitted_total', {}, chunk.length)
      this.out('info', 'exits submitted', { batch: b.number, exits: chunk.length, l1Tx: txHash })
    } catch (e) {
      this.metrics.inc('lagoon_l1_submit_failures_total', { kind: 'withdraw' })
      this.out('error', 'withdraw submission failed; will retry', { batch: b.number, error: String((e as Error)?.message ?? e).slice(0, 2000) })
    }
    return true
  }

  /**
   * The instance's reference-script UTxOs at its refs address (sdk `refsAddress`, `findScriptRefs`:
   * deployed by `buildDeployRefsTx`): commits and withdraws read the scripts (and the empty-hash table) from them
   * instead of carrying them, and pay less. None found (an instance without them) or the read failed:
   * `{}`, the builders attach the scripts; looked up again a minute later until found.
   */
  private async scriptRefs(): Promise<ScriptRefs> {
    if (this.refs) return this.refs
    // The refs only make txs cheaper: a provider error here must not hold a commit or a payout back,
    // and an instance without refs is asked again only once a minute.
    if (Date.now() < this.refsRetryAt) return {}
    let found: ScriptRefs
    try {
      found = findScriptRefs(await this.chain.utxosAt(refsAddress(this.chain.lucid.config().network!, this.scripts)), this.scripts)
    } catch {
      return {}
    }
    if (found.anchor && found.deposit) this.refs = found
    else this.refsRetryAt = Date.now() + 60_000
    return found
  }

  /**
   * An account's leaf and Merkle proof under batch `b`'s root (see `BatchViews.proofAt`): undefined if
   * the account did not exist then, `'not kept'` for a batch neither kept in memory nor the latest confirmed.
   *
   * @example
   * const p = poster.proofAt(poster.lastConfirmed()!, account)
   */
  proofAt(b: BatchRow, id: Uint8Array): ReturnType<BatchViews['proofAt']> {
    return this.views.proofAt(b, id, this.lastConfirmed()?.number)
  }

  private halt(h: Halt): void {
    const first = this.haltedBy === null
    this.haltedBy = h
    if (first || Date.now() - this.haltLoggedAt >= 60_000) {
      this.haltLoggedAt = Date.now()
      this.out('error', 'commitments halted: a credited deposit is gone from layer 1; no root holding its credit can be committed (users exit against the last committed root)', { ...h })
    }
  }
}
