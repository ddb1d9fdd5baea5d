import { EventEmitter } from 'node:events'
import type Database from 'better-sqlite3'
import type { UTxO } from '@lucid-evolution/lucid'
import { fromHex, TaskRejectedError, type Task } from '../core.js'
import type { Metrics } from '../metrics/Metrics.js'
import type { Sequencer } from '../queue/Sequencer.js'
import type { L1Chain } from './L1Chain.js'
import { outRefKey, type L1Log, type L1Settings } from './L1Settings.js'
import { anchorDatumFromData, depositDatumFromData, type AnchorDatum, type LagoonScripts } from './sdkL1.js'
import { anchorDatumOfOutput, anchorRedeemerOf } from './txRedeemer.js'

/** Why a deposit is not credited (docs/protocol.md, "Crediting deposits safely"), or null. */
export type DepositProblem = 'BAD_DATUM' | 'HAS_SCRIPT' | 'NOT_ADA_ONLY' | 'TOO_SMALL' | 'REFUND_TOO_SOON' | null

/** The longest inline datum a deposit may carry: `Constr 0 [owner (28 bytes), refund_after (≤ 9 bytes)]` is at most 44. */
const MAX_DEPOSIT_DATUM_BYTES = 64

/**
 * The rules a deposit output must meet to be credited (besides k confirmations).
 *
 * @example
 * depositProblem(utxo, chain.now(), settings) // null: creditable
 */
export function depositProblem(u: UTxO, now: number, s: Pick<L1Settings, 'absorptionMarginMs' | 'minDepositLovelace'>): DepositProblem {
  let owner: string
  let refundAfter: bigint
  // Only the deposit datum, inline and small: a commit spends every deposit it absorbs, so whatever a
  // deposit carries (a reference script counts against Conway's per-tx limit and its fee) is paid by
  // every commit; refused ones stay refundable by their owner.
  try {
    if (!u.datum || u.datumHash || u.datum.length > 2 * MAX_DEPOSIT_DATUM_BYTES) return 'BAD_DATUM'
    ;({ owner, refundAfter } = depositDatumFromData(u.datum))
  } catch {
    return 'BAD_DATUM'
  }
  if (!/^[0-9a-f]{56}$/.test(owner) || refundAfter < 0n || refundAfter >= 1n << 64n) return 'BAD_DATUM'
  if (u.scriptRef) return 'HAS_SCRIPT'
  if (Object.keys(u.assets).some((unit) => unit !== 'lovelace')) return 'NOT_ADA_ONLY'
  if ((u.assets.lovelace ?? 0n) < s.minDepositLovelace) return 'TOO_SMALL'
  if (refundAfter <= BigInt(now + s.absorptionMarginMs)) return 'REFUND_TOO_SOON'
  return null
}

/** The anchor output as the chain holds it now. */
export interface CurrentAnchor {
  readonly utxo: UTxO
  readonly datum: AnchorDatum
  /** Whether the follower has recorded every anchor spend up to (and including the one creating) it. */
  readonly synced: boolean
}

/**
 * Follows layer 1: the deposit address (credits deposits after k confirmations under the safety rules,
 * records each deposit's status and height) and the anchor (walks back from the current anchor output
 * to the last one it processed, then forward: each Withdraw at ≥ k confirmations becomes `exitPaid`
 * tasks; a Freeze stops the poster). Every credit and exit goes through the applier, so the log records
 * it; the core refuses a duplicate deposit and the task id (hash of its bytes) dedupes an exit, so a
 * repeated poll, a restart or a rollback shallower than k credits nothing twice and loses nothing.
 *
 * @example
 * const follower = new Follower(db, chain, scripts, sequencer, settings, metrics, jsonLog)
 * await follower.poll()
 */
export class Follower {
  /** Deposit status changes, for the API's event stream: `deposit` with `{ outRef, status }` (seen, credited again after a rollback, refunded). */
  readonly events = new EventEmitter()
  private readonly stmt
  /** Confirmed, creditable deposits held back at the last poll because the next commit has no room. */
  private waiting = 0
  /** Deposits already reported as no longer creditable (their refund time came too close while they waited). */
  private readonly expired = new Set<string>()

  constructor(
    db: Database.Database,
    private readonly chain: L1Chain,
    private readonly scripts: LagoonScripts,
    private readonly sequencer: Sequencer,
    private readonly settings: L1Settings,
    private readonly metrics: Metrics,
    private readonly log: L1Log,
  ) {
    this.stmt = {
      deposit: db.prepare<[Uint8Array, number], { status: string; l1_height: number | null }>('SELECT status, l1_height FROM deposits WHERE tx_hash = ? AND out_index = ?'),
      insertSeen: db.prepare(`INSERT INTO deposits (tx_hash, out_index, owner, amount, status, l1_height) VALUES (?, ?, ?, ?, 'seen', ?)`),
      setHeight: db.prepare('UPDATE deposits SET l1_height = ? WHERE tx_hash = ? AND out_index = ?'),
      setStatus: db.prepare('UPDATE deposits SET status = ? WHERE tx_hash = ? AND out_index = ?'),
      byStatus: db.prepare<[string], { tx_hash: Buffer; out_index: number }>('SELECT tx_hash, out_index FROM deposits WHERE status = ?'),
      deleteSeen: db.prepare(`DELETE FROM deposits WHERE tx_hash = ? AND out_index = ? AND status = 'seen'`),
      inFlight: db.prepare<[], { deposits: string | null }>(`SELECT deposits FROM batches WHERE status IN ('pending', 'submitted')`),
      anchorKnown: db.prepare<[string], number>('SELECT 1 FROM l1_anchors WHERE out_ref = ?').pluck(),
      addAnchor: db.prepare('INSERT OR IGNORE INTO l1_anchors (out_ref, kind, batch, root, mode, seen_at) VALUES (?, ?, ?, ?, ?, ?)'),
      frozen: db.prepare<[], number>(`SELECT 1 FROM l1_anchors WHERE mode = 'frozen' LIMIT 1`).pluck(),
      creditedCount: db.prepare<[], number>(`SELECT count(*) FROM deposits WHERE status = 'credited'`).pluck(),
    }
    metrics.describe('lagoon_l1_deposits_credited_total', 'Deposits credited after k confirmations')
    metrics.describe('lagoon_l1_deposits_refused_total', 'Deposit outputs that will never be credited, by reason')
    metrics.describe('lagoon_l1_exits_recorded_total', 'Exits paid on layer 1 recorded in the log')
    metrics.describe('lagoon_l1_deposits_waiting', 'Confirmed deposits waiting for room in a commit (credited as commits absorb the ones before them)')
    metrics.gauge('lagoon_l1_deposits_waiting', () => this.waiting)
  }

  /** Whether an anchor output was ever seen frozen. */
  get frozen(): boolean {
    return this.stmt.frozen.get() !== undefined
  }

  /** Whether the follower has processed the anchor output `ref` (`txHash#index`). */
  isProcessed(ref: string): boolean {
    return this.stmt.anchorKnown.get(ref) !== undefined
  }

  /**
   * One round: the anchor first (so exits paid on-chain enter the log before any new root is taken),
   * then the deposits.
   *
   * @example
   * await follower.poll()
   */
  async poll(): Promise<void> {
    await this.followAnchor()
    await this.followDeposits()
  }

  /**
   * The current anchor output (the one holding the state token), or undefined if none is confirmed.
   *
   * @example
   * const a = await follower.currentAnchor()
   */
  async currentAnchor(): Promise<CurrentAnchor | undefined> {
    const us = (await this.chain.utxosAt(this.scripts.anchorAddress)).filter((u) => (u.assets[this.scripts.unit] ?? 0n) === 1n)
    if (us.length !== 1) return undefined
    const utxo = us[0]!
    return { utxo, datum: anchorDatumFromData(utxo.datum!), synced: this.isProcessed(outRefKey(utxo)) }
  }

  private async submitAll(tasks: Task[]): Promise<number> {
    const results = await Promise.allSettled(tasks.map((t) => this.sequencer.submitTask(t)))
    let ok = 0
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') ok++
      else if (r.reason instanceof TaskRejectedError && r.reason.code === 'DUPLICATE_DEPOSIT') ok++
      else {
        this.log('error', 'layer-1 task refused', { kind: tasks[i]!.kind, error: String((r.reason as Error)?.message ?? r.reason) })
        throw r.reason
      }
    }
    return ok
  }

  private async followAnchor(): Promise<void> {
    const cur = await this.currentAnchor()
    if (!cur || cur.synced) return
    // Walk back to an output already processed (or the genesis), then handle the spends oldest first.
    const steps: { ref: string; txHash: string; cbor: string; anchorIn?: { txHash: string; outputIndex: number } }[] = []
    let at: { txHash: string; outputIndex: number } = cur.utxo
    for (;;) {
      const ref = outRefKey(at)
      if (this.isProcessed(ref)) break
      const tx = await this.chain.getTx(at.txHash)
      if (!tx) return // not yet visible: next poll
      const anchorIn = tx.inputs.find((i) => (i.assets[this.scripts.unit] ?? 0n) === 1n)
      steps.unshift({ ref, txHash: at.txHash, cbor: tx.cbor, ...(anchorIn ? { anchorIn } : {}) })
      if (!anchorIn) break
      at = anchorIn
    }
    for (const s of steps) {
      const datum = anchorDatumOfOutput(s.cbor, Number(s.ref.split('#')[1]))
      const confs = (await this.chain.confirmations(s.txHash)) ?? 0
      const redeemer = s.anchorIn ? anchorRedeemerOf(s.cbor, s.anchorIn) : undefined
      const kind = redeemer?.type ?? 'genesis'
      if (kind === 'withdraw' || kind === 'exodusWithdraw') {
        // An exit recorded in the log is final: wait for k confirmations.
        if (confs < this.settings.confirmations) return
        if (kind === 'withdraw' && redeemer && redeemer.type === 'withdraw') {
          const txHash = fromHex(s.txHash)
          const tasks: Task[] = redeemer.exits.map((e) => ({ kind: 'exitPaid', account: e.leaf.account, amount: e.leaf.pendingExit, txHash }))
          await this.submitAll(tasks)
          this.metrics.inc('lagoon_l1_exits_recorded_total', {}, tasks.length)
          this.log('info', 'exits paid on layer 1 recorded', { l1Tx: s.txHash, exits: tasks.length })
        } else {
          this.log('warn', 'exodus withdraw seen: the instance is frozen; layer 2 no longer changes', { l1Tx: s.txHash })
        }
      } else if (confs < 1) return
      if (kind === 'freeze') this.log('warn', 'the anchor is frozen: no more commitments', { l1Tx: s.txHash })
      this.stmt.addAnchor.run(s.ref, kind, Number(datum.batch), fromHex(datum.root), datum.mode, Date.now())
    }
  }

  private async followDeposits(): Promise<void> {
    const tip = await this.chain.tip()
    const now = this.chain.now()
    const utxos = await this.chain.utxosAt(this.scripts.depositAddress)
    const confsOf = new Map<string, number | undefined>()
    const present = new Set<string>()
    const toCredit: { u: UTxO; height: number }[] = []
    for (const u of utxos) {
      present.add(outRefKey(u))
      if (!confsOf.has(u.txHash)) confsOf.set(u.txHash, await this.chain.confirmations(u.txHash))
      const confs = confsOf.get(u.txHash)
      if (confs === undefined || confs < 1) continue
      const height = tip.height - confs + 1
      const txHash = fromHex(u.txHash)
      const row = this.stmt.deposit.get(txHash, u.outputIndex)
      const problem = depositProblem(u, now, this.settings)
      if (!row) {
        let owner: Uint8Array = new Uint8Array(0)
        try {
          owner = fromHex(depositDatumFromData(u.datum!).owner)
        } catch {
          /* malformed: recorded with no owner, never credited */
        }
        this.stmt.insertSeen.run(txHash, u.outputIndex, owner, (u.assets.lovelace ?? 0n).toString(), height)
        this.events.emit('deposit', { outRef: outRefKey(u), status: 'seen' })
        if (problem) {
          this.metrics.inc('lagoon_l1_deposits_refused_total', { reason: problem })
          this.log('warn', 'deposit will not be credited', { outRef: outRefKey(u), reason: problem })
        }
      } else if (row.status === 'seen' && row.l1_height !== height) {
        this.stmt.setHeight.run(height, txHash, u.outputIndex) // re-included at another height after a rollback
      } else if (row.status === 'absorbed' || row.status === 'refunded') {
        // Back at the address: the absorbing commit was rolled back, or a provider's listing had left it
        // out. Credited again, so the poster's halt (a credited deposit gone) lifts with it.
        this.stmt.setStatus.run('credited', txHash, u.outputIndex)
        this.events.emit('deposit', { outRef: outRefKey(u), status: 'credited' })
        if (row.status === 'refunded') this.log('warn', 'a credited deposit reported gone is at the deposit address again', { outRef: outRefKey(u) })
      }
      const status = row?.status ?? 'seen'
      if (status === 'seen' && row && problem === 'REFUND_TOO_SOON' && !this.expired.has(outRefKey(u))) {
        this.expired.add(outRefKey(u))
        this.metrics.inc('lagoon_l1_deposits_refused_total', { reason: problem })
        this.log('warn', 'deposit waited too long for room in a commit: it will not be credited (its owner can refund it)', { outRef: outRefKey(u), reason: problem })
      }
      if (status === 'seen' && !problem && confs >= this.settings.confirmations) toCredit.push({ u, height })
    }
    toCredit.sort((a, b) => a.height - b.height || (a.u.txHash < b.u.txHash ? -1 : a.u.txHash > b.u.txHash ? 1 : a.u.outputIndex - b.u.outputIndex))
    // Credit only what the next commit absorbs: every credited deposit is absorbed by the commitment of
    // its batch, and one commit holds at most maxDepositsPerCommit. The rest wait, oldest first (still
    // refundable), and are credited as commits make room — each only while its refund time is beyond
    // now + the absorption margin.
    const room = Math.max(0, this.settings.maxDepositsPerCommit - this.stmt.creditedCount.get()!)
    const held = toCredit.length - Math.min(room, toCredit.length)
    if (held !== this.waiting && held > 0) this.log('info', 'deposits wait for room in the next commits', { waiting: held, perCommit: this.settings.maxDepositsPerCommit })
    this.waiting = held
    toCredit.splice(room)
    if (toCredit.length > 0) {
      const tasks: Task[] = toCredit.map(({ u }) => ({
        kind: 'deposit',
        txHash: fromHex(u.txHash),
        index: u.outputIndex,
        owner: fromHex(depositDatumFromData(u.datum!).owner),
        amount: u.assets.lovelace ?? 0n,
      }))
      await this.submitAll(tasks)
      this.metrics.inc('lagoon_l1_deposits_credited_total', {}, tasks.length)
      this.log('info', 'deposits credited', { count: tasks.length, outRefs: toCredit.map(({ u }) => outRefKey(u)) })
    }
    // Gone from the address: a seen one was rolled back (forget it; it comes back if re-included);
    // a credited one not in a commit in flight was refunded by its owner.
    const inFlight = new Set<string>()
    for (const b of this.stmt.inFlight.all()) for (const r of JSON.parse(b.deposits ?? '[]') as string[]) inFlight.add(r)
    for (const r of this.stmt.byStatus.all('seen')) {
      const ref = `${Buffer.from(r.tx_hash).toString('hex')}#${r.out_index}`
      if (!present.has(ref)) this.stmt.deleteSeen.run(r.tx_hash, r.out_index)
    }
    for (const r of this.stmt.byStatus.all('credited')) {
      const ref = `${Buffer.from(r.tx_hash).toString('hex')}#${r.out_index}`
      if (!present.has(ref) && !inFlight.has(ref)) {
        this.stmt.setStatus.run('refunded', r.tx_hash, r.out_index)
        this.events.emit('deposit', { outRef: ref, status: 'refunded' })
        this.metrics.inc('lagoon_l1_credited_deposits_refunded_total')
        this.log('error', 'a credited deposit left the deposit address without being absorbed (refunded)', { outRef: ref })
      }
    }
  }
}
