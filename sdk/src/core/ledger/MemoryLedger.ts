import { MemoryState } from '../state/MemoryState.js'
import { apply } from '../state/apply.js'
import type { Rejection } from '../state/rejection.js'
import type { ApplyContext } from '../state/types.js'
import { encodeTask } from '../task/encodeTask.js'
import type { Task } from '../task/types.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../log/nextLogHead.js'

/** One applied entry of the task log. */
export interface LogEntry {
  readonly seq: number
  readonly bytes: Uint8Array
  /** The log head after this entry. */
  readonly head: Uint8Array
}

/**
 * A state and its task log in memory: applies tasks in order, appends the applied ones with their
 * sequence numbers and the running head. What an auditor or a test replays a log with.
 *
 * @example
 * const ledger = new MemoryLedger(ctx)
 * const r = ledger.submit({ kind: 'deposit', txHash, index: 0, owner, amount: 5_000_000n })
 * if (r.ok) console.log(r.seq, toHex(r.head))
 * ledger.state.root()
 */
export class MemoryLedger {
  readonly state: MemoryState
  /** The applied entries, when kept (`keepLog`, default true). */
  readonly log: LogEntry[] = []
  private readonly keepLog: boolean
  private _head: Uint8Array = GENESIS_LOG_HEAD
  private _seq = 0

  constructor(
    private readonly ctx: ApplyContext,
    options: { keepLog?: boolean } = {},
  ) {
    this.state = new MemoryState(ctx.hash)
    this.keepLog = options.keepLog ?? true
  }

  /** The sequence number of the last applied task (0 when none). */
  get seq(): number {
    return this._seq
  }

  /** The log head after the last applied task. */
  get head(): Uint8Array {
    return this._head
  }

  /** Applies `task`; on success appends it to the log and returns its sequence number and the new head. */
  submit(task: Task): { ok: true; seq: number; head: Uint8Array } | { ok: false; rejection: Rejection } {
    const r = apply(this.state, task, this.ctx)
    if (!r.ok) return r
    this.state.commit(r.changes)
    const bytes = encodeTask(task)
    const seq = ++this._seq
    this._head = nextLogHead(this.ctx.hash, this._head, seq, bytes)
    if (this.keepLog) this.log.push({ seq, bytes, head: this._head })
    return { ok: true, seq, head: this._head }
  }
}
