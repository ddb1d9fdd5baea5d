import { setTimeout as delay } from 'node:timers/promises'
import type Database from 'better-sqlite3'
import {
  auditLog,
  AuditInterruptedError,
  createLagoonClient,
  fromHex,
  getLogPage,
  LagoonError,
  loadBlake2b256,
  NetworkError,
  TASK_TAG,
  toHex,
  type ApplyContext,
  type AuditDivergence,
  type BaseClient,
  type BatchVerifier,
  type FetchLogPage,
  type LogEntryBytes,
  type Task,
} from '@lagoon/sdk'
import type { NodeBatch } from '@lagoon/sdk/audit-l1'
import { createWorkerBatchVerifier } from '@lagoon/sdk/node'
import { openDatabase } from '@lagoon/sequencer/storage/openDatabase'
import { SqliteState } from '@lagoon/sequencer/storage/SqliteState'
import { TaskLog } from '@lagoon/sequencer/storage/TaskLog'
import { checkedOf, CommittedView } from './CommittedView.js'
import { openLogStream } from './logStream.js'
import { behindReason, highestBeyond, probeWithheldTail } from './probeWithheldTail.js'
import { RelayL1Check } from './RelayL1Check.js'
import type { RelayLog, RelayOptions, RelayStatus } from './RelayOptions.js'
import { relayContext, relayInstance } from './relayInstance.js'

/** Waits `ms`, or until `signal` aborts (no listener is left on `signal` after, however it ends). */
const sleep = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, undefined, { signal }).catch(() => undefined)

const RELAY_SCHEMA = 'CREATE TABLE IF NOT EXISTS relay_batches (number INTEGER PRIMARY KEY, json TEXT NOT NULL, checked INTEGER NOT NULL DEFAULT 0) STRICT;'

/**
 * A relay: follows a node's task log (pages to catch up, then `GET /log/stream` live, reconnecting with
 * `from`), checks every entry as an auditor does (hash chain, signatures, the protocol core's `apply`)
 * and stores the log and the state in its own SQLite file with the sequencer's own storage
 * (`SqliteState`, `TaskLog`). Every confirmed batch is checked as it lands: the relay replays its log to
 * the batch's last seq (`CommittedView`) and compares root and head; with `l1`, the node's batches are
 * also checked against the commitments on layer 1. A divergence stops the following and shows in
 * `status()`. Serve it with `createRelayApp` (or `startRelay`).
 *
 * @example
 * const relay = await Relay.open({ from: 'http://127.0.0.1:8080', db: 'relay.db' })
 * relay.start()
 * relay.status() // { status: 'live', seq, checkedBatch, … }
 * await relay.close()
 */
export class Relay {
  private seq: number
  private head: Uint8Array
  private sourceSeq = 0
  private phase: RelayStatus['status'] = 'syncing'
  private divergence: AuditDivergence | undefined
  private readonly abort = new AbortController()
  private loop: Promise<void> | undefined
  private batchTimer: NodeJS.Timeout | undefined
  private serial: Promise<unknown> = Promise.resolve()
  private readonly stmt
  private older: CommittedView | undefined
  private l1Checked = false
  private readonly l1: RelayL1Check | undefined
  /** A confirmed batch beyond the log the relay holds (status `behind`), from the last look at the batches. */
  private behind: string | undefined

  private constructor(
    readonly options: RelayOptions,
    readonly db: Database.Database,
    readonly log: TaskLog,
    public state: SqliteState,
    readonly ctx: ApplyContext,
    readonly instanceInfo: Record<string, unknown> | undefined,
    readonly view: CommittedView,
    private readonly verifier: BatchVerifier & { close?(): Promise<void> },
    private readonly out: RelayLog,
    /** The node, read through the SDK's bounded reads (size and deadline: `readBody`, `readSse`). */
    private readonly node: BaseClient,
  ) {
    const tip = log.tip()
    this.seq = tip.seq
    this.head = tip.head
    this.l1 = options.l1 ? new RelayL1Check(db, options.l1) : undefined
    this.stmt = {
      upsert: db.prepare('INSERT INTO relay_batches (number, json) VALUES (?, ?) ON CONFLICT (number) DO UPDATE SET json = excluded.json WHERE relay_batches.checked = 0'),
      check: db.prepare('UPDATE relay_batches SET checked = 1 WHERE number = ?'),
      // Checked batches also go to the node's own batches table, so the sequencer's read code
      // (withdrawal status) works on the relay's file unchanged.
      mirror: db.prepare(
        `INSERT OR REPLACE INTO batches (number, root, first_seq, last_seq, log_head, l1_tx, status, created_at, confirmed_at, anchor_ref, deposits) VALUES (?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, ?, ?)`,
      ),
      all: db.prepare<[number, number], { json: string; checked: number }>('SELECT json, checked FROM relay_batches WHERE number >= ? ORDER BY number LIMIT ?'),
      unchecked: db.prepare<[], { json: string }>('SELECT json FROM relay_batches WHERE checked = 0 ORDER BY number'),
      checked: db.prepare<[], { json: string }>('SELECT json FROM relay_batches WHERE checked = 1 ORDER BY number'),
      firstOpen: db.prepare<[], number>('SELECT min(number) FROM relay_batches WHERE checked = 0').pluck(),
      last: db.prepare<[], number>('SELECT max(number) FROM relay_batches').pluck(),
      getMeta: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
    }
  }

  /**
   * Opens (or creates) the relay's file and learns the instance (stored on first start: a restart
   * needs the node only to follow it).
   */
  static async open(options: RelayOptions): Promise<Relay> {
    const out = options.log ?? (() => {})
    const db = openDatabase(options.db, 'normal')
    db.exec(RELAY_SCHEMA)
    try {
      const source = options.from.replace(/\/+$/, '')
      const node = createLagoonClient({ url: source, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) })
      const info = await relayInstance(db, options, source, node)
      const hash = await loadBlake2b256()
      const ctx = relayContext(info, hash)
      const log = new TaskLog(db)
      const state = SqliteState.load(db, hash, log.tip().seq)
      const workers = options.verifyWorkers ?? 2
      const verifier = workers > 0 ? createWorkerBatchVerifier({ workers }) : { verifyBatch: (await import('@lagoon/sdk')).pureBatchVerifier(ctx.verifyEd25519).verifyBatch }
      const relay = new Relay({ ...options, from: source }, db, log, state, ctx, info, new CommittedView(ctx, log), verifier, out, node)
      // The committed view is in memory: rebuilt from the stored log up to the last checked batch.
      for (const r of relay.stmt.checked.all()) {
        const b = JSON.parse(r.json) as NodeBatch
        const ok = relay.view.advance(checkedOf(b))
        if (!ok.ok) throw new LagoonError('RELAY_CORRUPT', `the relay's file no longer replays to batch ${b.number}'s ${ok.field}`)
      }
      return relay
    } catch (e) {
      db.close()
      throw e
    }
  }

  /** The node followed. */
  get source(): string {
    return this.options.from
  }

  /** Where the relay stands. */
  status(): RelayStatus {
    return {
      status: this.divergence ? 'diverged' : this.phase === 'live' && this.behind ? 'behind' : this.phase,
      ...(this.behind && this.phase !== 'diverged' ? { reason: this.behind } : {}),
      source: this.source,
      seq: this.seq,
      logHead: toHex(this.head),
      sourceSeq: this.sourceSeq,
      checkedBatch: this.view.batch,
      ...(this.divergence ? { divergence: this.divergence } : {}),
    }
  }

  /** Batches as the node reported them (`GET /batches` shape), with `relayChecked`. */
  batches(from = 0, limit = 100): (NodeBatch & { relayChecked: boolean })[] {
    return this.stmt.all.all(from, limit).map((r) => ({ ...(JSON.parse(r.json) as NodeBatch), relayChecked: r.checked === 1 }))
  }

  /** A proof source at batch `n` (default: the last checked): the committed view, or a replay of an earlier batch. */
  viewAt(n?: number): CommittedView | undefined {
    const want = n ?? this.view.batch
    if (want === 0 || want > this.view.batch) return undefined
    if (want === this.view.batch) return this.view
    if (this.older?.batch === want) return this.older
    const row = this.batches(want, 1)[0]
    if (!row || row.number !== want || !row.relayChecked) return undefined
    this.older = this.view.at(checkedOf(row))
    return this.older
  }

  /** Starts following the node. */
  start(): void {
    if (this.loop) return
    this.loop = this.follow()
    let queued = false
    let listing = false
    const failed = (e: unknown) => {
      if (!this.abort.signal.aborted) this.out('warn', 'checking batches failed; retrying', errorFields(e))
    }
    this.batchTimer = setInterval(() => {
      // The node's list is learned outside the lock, every tick (one request at a time), so a catch-up
      // that takes long (or hangs) still shows as `behind` when the node confirms a batch past it.
      if (!listing) {
        listing = true
        void this.refreshBatches().then(() => this.noteBehind()).catch(failed).finally(() => (listing = false))
      }
      if (queued) return // one check waiting behind a long catch-up is enough
      queued = true
      void this.exclusive(() => ((queued = false), this.checkBatches())).catch(failed)
    }, this.options.pollMs ?? 1000)
    this.batchTimer.unref()
  }

  /** Runs `fn` after whatever the relay is doing (applying a page, checking batches). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.serial.then(fn, fn)
    this.serial = next.catch(() => undefined)
    return next
  }

  private authHeaders(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}
  }

  private async follow(): Promise<void> {
    const signal = this.abort.signal
    let backoff = 250
    while (!signal.aborted && !this.divergence) {
      try {
        await this.catchUp()
        if (this.divergence || signal.aborted) break
        await this.exclusive(() => this.checkBatches())
        this.phase = 'live'
        const streamed = await this.stream()
        if (!streamed) await sleep(this.options.pollMs ?? 1000, signal)
        backoff = 250
      } catch (e) {
        if (signal.aborted) break
        // A node's answer that broke a reading bound (RESPONSE_TOO_LARGE, BODY_TIMEOUT,
        // SSE_FRAME_TOO_LARGE) stopped that read; the relay keeps what it checked and tries again.
        this.out('warn', 'following the node failed; retrying', { ...errorFields(e), retryInMs: backoff })
        await sleep(backoff, signal)
        backoff = Math.min(10_000, backoff * 2)
      }
    }
    if (this.divergence) this.phase = 'diverged'
  }

  /** Applies pages until the node's tip. */
  private async catchUp(): Promise<void> {
    const remote: FetchLogPage = async (from, limit, signal) => {
      const page = await getLogPage(this.node, { from, limit, ...(signal ? { signal } : {}) })
      this.sourceSeq = Math.max(this.sourceSeq, page.tipSeq)
      return page
    }
    await this.exclusive(() => this.applyFrom(remote))
  }

  /** Follows `GET /log/stream` (`openLogStream`: bounded frames); false when the node has none (then the log is polled). */
  private async stream(): Promise<boolean> {
    const s = await openLogStream(this.node, this.seq + 1, { signal: this.abort.signal, headers: this.authHeaders() })
    if ('refused' in s) {
      if (s.refused !== 404) this.out('warn', 'the node refuses GET /log/stream (a relay token is needed): polling the log instead', { status: s.refused })
      return false
    }
    this.out('info', 'following the live log', { from: this.seq + 1 })
    for await (const entries of s.entries) {
      // Already applied (a resent frame) is skipped; a gap is a transport fault, not a divergence:
      // reconnect, and the pages fill it.
      while (entries.length > 0 && entries[0]!.seq <= this.seq) entries.shift()
      if (entries.length === 0) continue
      if (entries[0]!.seq !== this.seq + 1) throw new LagoonError('STREAM_GAP', `the stream jumped from seq ${this.seq} to ${entries[0]!.seq}`)
      this.sourceSeq = Math.max(this.sourceSeq, entries[entries.length - 1]!.seq)
      const fetchPage: FetchLogPage = async (from, limit) => {
        const i = entries.findIndex((e) => e.seq === from)
        const page = i < 0 ? [] : entries.slice(i, i + limit)
        return { entries: page, nextFrom: from + page.length, tipSeq: entries[entries.length - 1]!.seq }
      }
      await this.exclusive(() => this.applyFrom(fetchPage))
      if (this.divergence) return true
    }
    return true
  }

  /** Checks and applies what `fetchPage` serves after the relay's seq, storing log and state a page at a time. */
  private async applyFrom(fetchPage: FetchLogPage): Promise<void> {
    if (this.divergence) return
    const store = (seq: number, task: Task, e: LogEntryBytes) => {
      const id = task.kind === 'tx' ? task.tx.id : this.ctx.hash(e.bytes)
      this.log.append(seq, TASK_TAG[task.kind], id, e.bytes, e.head)
      if (task.kind === 'tx') {
        for (const a of task.tx.body.actions) if (a.type === 'withdraw') this.log.exitRequested(task.tx.body.signer, a.amount, seq)
      } else if (task.kind === 'exitPaid') this.log.exitPaid(task.account, task.amount, task.txHash, seq)
      this.l1?.onApplied(seq, task)
    }
    let r
    try {
      r = await auditLog({
        fetchPage,
        ctx: this.ctx,
        resume: { seq: this.seq, head: this.head, state: this.state },
        verifier: this.verifier,
        pageSize: this.options.pageSize ?? 5000,
        transaction: (fn) => this.db.transaction(fn)(),
        onApplied: store,
        onProgress: (p) => {
          this.sourceSeq = Math.max(this.sourceSeq, p.tipSeq)
        },
        signal: this.abort.signal,
      })
    } catch (e) {
      // Pages applied before the failure are committed: continue from the stored tip.
      const tip = this.log.tip()
      if (!(e instanceof AuditInterruptedError)) {
        this.state = this.state.reload(tip.seq)
        this.l1?.reload()
      }
      this.seq = tip.seq
      this.head = tip.head
      throw e
    }
    this.seq = r.seq
    this.head = fromHex(r.head)
    if (!r.ok) this.diverge(r.divergence)
  }

  private diverge(d: AuditDivergence): void {
    this.divergence = d
    this.phase = 'diverged'
    this.out('error', 'DIVERGENCE: the node serves a log or a commitment the replay does not reach; no longer following', { divergence: d })
    this.abort.abort(new Error('diverged'))
  }

  /** Learns new batches from the node (and newer statuses of those not checked yet). */
  private async refreshBatches(): Promise<void> {
    const from = this.stmt.firstOpen.get() ?? (this.stmt.last.get() ?? 0) + 1
    for (let at = from; ; ) {
      const page = await this.node.request<NodeBatch[]>({ method: 'GET', path: `/batches?from=${at}&limit=1000`, signal: this.abort.signal })
      if (!Array.isArray(page)) throw new NetworkError('BAD_RESPONSE', 'GET /batches: not a list', { request: 'GET /batches' })
      this.db.transaction(() => {
        for (const b of page) this.stmt.upsert.run(b.number, JSON.stringify(b))
      })()
      if (page.length < 1000) break
      at = page[page.length - 1]!.number + 1
    }
  }

  /** Learns new batches from the node and checks each confirmed one the relay has reached. */
  private async checkBatches(): Promise<void> {
    if (this.divergence) return
    await this.refreshBatches()
    let checkedNow = 0
    for (const r of this.stmt.unchecked.all()) {
      const b = JSON.parse(r.json) as NodeBatch
      if (b.status !== 'confirmed') break // in order: the next one is not final yet
      if (b.lastSeq > this.seq) break
      const ok = this.view.advance(checkedOf(b))
      if (!ok.ok) {
        this.diverge({
          kind: 'COMMITMENT_MISMATCH',
          batch: b.number,
          seq: b.lastSeq,
          field: ok.field,
          expected: ok.expected,
          found: ok.found,
          ...(b.l1Tx ? { l1Tx: b.l1Tx } : {}),
          message: `batch ${b.number} commits to ${ok.field} ${ok.found} at seq ${b.lastSeq}; the relay's replay has ${ok.expected}`,
        })
        return
      }
      const row = b as NodeBatch & { firstSeq?: number; createdAt?: number; confirmedAt?: number | null; anchorRef?: string | null; deposits?: string[] }
      this.db.transaction(() => {
        this.stmt.check.run(b.number)
        this.stmt.mirror.run(b.number, fromHex(b.root), row.firstSeq ?? 0, b.lastSeq, fromHex(b.logHead), b.l1Tx ? fromHex(b.l1Tx) : null, row.createdAt ?? Date.now(), row.confirmedAt ?? Date.now(), row.anchorRef ?? null, JSON.stringify(row.deposits ?? []))
      })()
      checkedNow++
      this.out('info', 'batch checked', { batch: b.number, lastSeq: b.lastSeq, root: b.root })
    }
    // A confirmed batch beyond the relay's log: the relay is behind, or the node withholds the tail.
    const beyond = this.noteBehind()
    if (beyond) {
      const t = await probeWithheldTail(this.node, beyond, this.seq, this.abort.signal)
      this.sourceSeq = Math.max(this.sourceSeq, t.tipSeq)
      if ('divergence' in t) return this.diverge(t.divergence)
      this.behind = t.behind
    }
    if (this.l1) {
      const d = await this.l1.check({ seq: this.seq, reread: checkedNow > 0 || !this.l1Checked, batches: () => this.batches(0, 1_000_000), refresh: () => this.refreshBatches() })
      this.l1Checked = true
      if (d) this.diverge(d)
    }
  }

  /** Notes (or clears) the confirmed batch with the highest seq beyond the relay's log (status `behind`), and returns it. */
  private noteBehind(): NodeBatch | undefined {
    const b = highestBeyond(this.stmt.unchecked.all().map((r) => JSON.parse(r.json) as NodeBatch), this.seq)
    this.behind = b && behindReason(b, this.seq)
    return b
  }

  /** Stops following, snapshots the tree and closes the file. */
  async close(): Promise<void> {
    if (this.batchTimer) clearInterval(this.batchTimer)
    this.abort.abort(new Error('closing'))
    await this.loop?.catch(() => undefined)
    await this.serial.catch(() => undefined)
    if (this.phase !== 'diverged') this.phase = 'stopped'
    this.state.saveTree(this.seq)
    this.db.close()
    await this.verifier.close?.()
  }
}

/** A failure as log fields: its message and, for a Lagoon error, its code (an interrupted audit's: its cause's). */
function errorFields(e: unknown): { error: string; code?: string } {
  const code = e instanceof LagoonError ? (e.cause instanceof LagoonError ? e.cause.code : e.code) : undefined
  return { error: String((e as Error)?.message ?? e), ...(code ? { code } : {}) }
}
