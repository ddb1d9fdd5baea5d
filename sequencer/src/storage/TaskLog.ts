import type Database from 'better-sqlite3'
import { GENESIS_LOG_HEAD } from '../core.js'

/** One entry of the task log as stored: what `GET /log` serves and auditors replay. */
export interface StoredLogEntry {
  readonly seq: number
  readonly kind: number
  readonly bytes: Uint8Array
  readonly head: Uint8Array
}

/** Where an applied task sits in the log. */
export interface LogPosition {
  readonly seq: number
  readonly head: Uint8Array
}

/**
 * The task log table (the public task DB) and the tables the applier fills beside it (exits).
 * Writes run inside the applier's transaction.
 *
 * @example
 * const log = new TaskLog(db)
 * log.append(seq, 0, tx.id, bytes, head)
 * log.positionOf(tx.id) // { seq, head } once committed
 */
export class TaskLog {
  private readonly stmt

  constructor(db: Database.Database) {
    this.stmt = {
      append: db.prepare('INSERT INTO log (seq, kind, id, bytes, head) VALUES (?, ?, ?, ?, ?)'),
      byId: db.prepare<[Uint8Array], { seq: number; head: Buffer }>('SELECT seq, head FROM log WHERE id = ?'),
      last: db.prepare<[], { seq: number; head: Buffer }>('SELECT seq, head FROM log ORDER BY seq DESC LIMIT 1'),
      range: db.prepare<[number, number], { seq: number; kind: number; bytes: Buffer; head: Buffer }>(
        'SELECT seq, kind, bytes, head FROM log WHERE seq >= ? ORDER BY seq LIMIT ?',
      ),
      exitRequested: db.prepare('INSERT INTO exits (account, amount, requested_seq) VALUES (?, ?, ?)'),
      exitPaid: db.prepare('INSERT INTO exits (account, amount, paid_tx, paid_seq) VALUES (?, ?, ?, ?)'),
    }
  }

  /**
   * Appends entry `seq` (inside the caller's transaction). `id` must be unique over the log.
   *
   * @example
   * log.append(1, TASK_TAG.deposit, hash(bytes), bytes, head)
   */
  append(seq: number, kind: number, id: Uint8Array, bytes: Uint8Array, head: Uint8Array): void {
    this.stmt.append.run(seq, kind, id, bytes, head)
  }

  /**
   * The position of the task with this id, if it was applied.
   *
   * @example
   * log.positionOf(txId)?.seq
   */
  positionOf(id: Uint8Array): LogPosition | undefined {
    const r = this.stmt.byId.get(id)
    return r && { seq: r.seq, head: new Uint8Array(r.head) }
  }

  /**
   * The last entry's position: `{ seq: 0, head: 0^32 }` for an empty log.
   *
   * @example
   * const { seq, head } = log.tip()
   */
  tip(): LogPosition {
    const r = this.stmt.last.get()
    return r ? { seq: r.seq, head: new Uint8Array(r.head) } : { seq: 0, head: GENESIS_LOG_HEAD }
  }

  /**
   * Up to `limit` entries from `from` on, in order.
   *
   * @example
   * log.range(1, 1000)
   */
  range(from: number, limit: number): StoredLogEntry[] {
    return this.stmt.range.all(from, limit).map((r) => ({ seq: r.seq, kind: r.kind, bytes: new Uint8Array(r.bytes), head: new Uint8Array(r.head) }))
  }

  /**
   * Records a withdrawal request (an exit to pay), from the applied tx at `seq`.
   *
   * @example
   * log.exitRequested(signer, 2_000_000n, seq)
   */
  exitRequested(account: Uint8Array, amount: bigint, seq: number): void {
    this.stmt.exitRequested.run(account, amount.toString(), seq)
  }

  /**
   * Records an exit paid on layer 1, from the applied exit task at `seq`.
   *
   * @example
   * log.exitPaid(account, 2_000_000n, l1TxHash, seq)
   */
  exitPaid(account: Uint8Array, amount: bigint, txHash: Uint8Array, seq: number): void {
    this.stmt.exitPaid.run(account, amount.toString(), txHash, seq)
  }
}
