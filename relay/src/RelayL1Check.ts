import type Database from 'better-sqlite3'
import { toHex, type AuditDivergence, type Task } from '@lagoon/sdk'
import {
  checkLogEventsOnL1,
  checkNodeBatches,
  confirmedNumbers,
  l1EventCollector,
  l1EventMatcher,
  readAnchorHistory,
  type AnchorStep,
  type InstanceAddresses,
  type L1Events,
  type L1Reader,
  type NodeBatch,
} from '@lagoon/sdk/audit-l1'

/**
 * A relay's checks against layer 1 (`lagoon relay --l1`): the node's batches against the commitments
 * on the chain, and the layer-1 claims of the log the relay holds — every credit and every recorded
 * exit payment — against the chain itself, as `lagoon audit --l1` checks them.
 *
 * @example
 * const l1 = new RelayL1Check(db, { reader: blockfrostReader({ url }), instance: scripts })
 * const d = await l1.check({ seq, batches: () => relay.batches(0, 1e6), refresh, reread: true })
 */
export class RelayL1Check {
  private steps: AnchorStep[] | undefined
  /** Tail credits already found on layer 1 (out-refs). */
  private readonly found = new Set<string>()
  /** The credits and recorded exits of the relay's log, kept current by `onApplied`. */
  private events: L1Events
  private collect: (seq: number, task: Task) => void
  /** A credit or an exitPaid was applied since the last check. */
  private changed = true
  /** The seq of the first commitment (of the history read) the relay's log had not reached at the last check. */
  private nextCommitSeq: number | undefined
  private readonly stmt

  constructor(
    db: Database.Database,
    private readonly l1: { readonly reader: L1Reader; readonly instance: InstanceAddresses },
  ) {
    this.stmt = {
      credits: db.prepare<[], { tx_hash: Buffer; out_index: number; owner: Buffer; amount: string; credited_seq: number }>(
        'SELECT tx_hash, out_index, owner, amount, credited_seq FROM deposits WHERE credited_seq IS NOT NULL',
      ),
      exits: db.prepare<[], { account: Buffer; amount: string; paid_tx: Buffer; paid_seq: number }>('SELECT account, amount, paid_tx, paid_seq FROM exits WHERE paid_seq IS NOT NULL ORDER BY paid_seq'),
    }
    this.events = this.load()
    this.collect = l1EventCollector(this.events).onApplied
  }

  /** Follows the relay's replay: call with every task it applies (deposits and exits are kept). */
  onApplied(seq: number, task: Task): void {
    if (task.kind !== 'deposit' && task.kind !== 'exitPaid') return
    this.collect(seq, task)
    this.changed = true
  }

  /** Reads the credits and exits from the file again (after a page that failed to apply was rolled back). */
  reload(): void {
    this.events = this.load()
    this.collect = l1EventCollector(this.events).onApplied
    this.changed = true
  }

  /** The credits and recorded exits of the relay's log (the tables its replay keeps). */
  private load(): L1Events {
    const events: L1Events = { credits: new Map(), exits: new Map() }
    for (const r of this.stmt.credits.all()) {
      events.credits.set(`${toHex(r.tx_hash)}#${r.out_index}`, { seq: r.credited_seq, owner: toHex(r.owner), amount: BigInt(r.amount) })
    }
    for (const r of this.stmt.exits.all()) {
      const k = toHex(r.paid_tx)
      const list = events.exits.get(k) ?? []
      list.push({ seq: r.paid_seq, account: toHex(r.account), amount: BigInt(r.amount) })
      events.exits.set(k, list)
    }
    return events
  }

  /**
   * Checks what is new since the last call, and returns the first divergence. With `reread` (a batch was
   * just checked, or the first call) the anchor history is read again and the node's batches are
   * compared with it (`checkNodeBatches`: listed before and after the read). Then, when a credit or an
   * exitPaid was applied since, or the log reached another commitment of the history: each commitment
   * up to `seq` absorbed exactly the deposits credited in its range and was
   * preceded by the exits it must record (`l1EventMatcher`), each credit after the last commitment is an
   * output layer 1 had, and each `exitPaid` a Withdraw that paid it (`checkLogEventsOnL1`).
   */
  async check(p: { readonly seq: number; readonly reread: boolean; readonly batches: () => readonly NodeBatch[]; readonly refresh: () => Promise<void> }): Promise<AuditDivergence | undefined> {
    if (p.reread || !this.steps) {
      const confirmedBefore = confirmedNumbers(p.batches())
      this.steps = await readAnchorHistory({ l1: this.l1.reader, instance: this.l1.instance })
      // The node may have posted a batch since the list was fetched: list again, after the chain read.
      await p.refresh()
      const b = checkNodeBatches(p.batches(), this.steps, { confirmedBefore })
      if (!b.ok) return b.divergence
      this.changed = true
    }
    if (!this.changed && !(this.nextCommitSeq !== undefined && p.seq >= this.nextCommitSeq)) return undefined
    const events = this.events
    const matcher = l1EventMatcher(events)
    this.nextCommitSeq = undefined
    for (const s of this.steps) {
      if (s.kind === 'commit') {
        const at = Number(s.datum.logSeq)
        if (at > p.seq) {
          this.nextCommitSeq = at // not reached yet: judged once the relay holds its log
          break
        }
        const d = matcher.commit(s)
        if (d) return d
      } else matcher.withdraw(s)
    }
    const credits = matcher.tail().filter((c) => !this.found.has(c.outRef))
    const r = await checkLogEventsOnL1({ l1: this.l1.reader, instance: this.l1.instance, steps: this.steps, credits, exits: events.exits })
    if (!r.ok) return r.divergence
    for (const c of credits) this.found.add(c.outRef)
    this.changed = false
    return undefined
  }
}
