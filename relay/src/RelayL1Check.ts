import type Database from 'better-sqlite3'
import { toHex, type AuditDivergence } from '@lagoon/sdk'
import {
  checkLogEventsOnL1,
  checkNodeBatches,
  confirmedNumbers,
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
  private checkedSeq = -1
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
  }

  /** The credits and recorded exits of the relay's log (the tables its replay keeps). */
  private events(): L1Events {
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
   * compared with it (`checkNodeBatches`: listed before and after the read). Then, when the relay's log
   * grew: each commitment up to `seq` absorbed exactly the deposits credited in its range and was
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
      this.checkedSeq = -1
    }
    if (p.seq === this.checkedSeq) return undefined
    const events = this.events()
    const matcher = l1EventMatcher(events)
    for (const s of this.steps) {
      if (s.kind === 'commit') {
        if (Number(s.datum.logSeq) > p.seq) break // not reached yet: judged once the relay holds its log
        const d = matcher.commit(s)
        if (d) return d
      } else matcher.withdraw(s)
    }
    const credits = matcher.tail().filter((c) => !this.found.has(c.outRef))
    const r = await checkLogEventsOnL1({ l1: this.l1.reader, instance: this.l1.instance, steps: this.steps, credits, exits: events.exits })
    if (!r.ok) return r.divergence
    for (const c of credits) this.found.add(c.outRef)
    this.checkedSeq = p.seq
    return undefined
  }
}
