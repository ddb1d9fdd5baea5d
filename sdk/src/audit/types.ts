import { LagoonError } from '../errors/LagoonError.js'
import type { Rejection } from '../core/state/rejection.js'
import type { StateChange, StateView } from '../core/state/types.js'
import type { Task } from '../core/task/types.js'
import type { LogPage } from '../client/types.js'

/** Fetches one page of the task log from `from` (at most `limit` entries), as `GET /log` serves it. */
export type FetchLogPage = (from: number, limit: number, signal?: AbortSignal) => Promise<LogPage>

/**
 * A state the auditor can replay into: the core's `StateView` plus `commit` and `root`. `MemoryState`
 * (the default) and the sequencer's `SqliteState` (a relay) both are.
 */
export interface ReplayState extends StateView {
  commit(changes: readonly StateChange[], task?: Task, seq?: number): void
  root(): Uint8Array
}

/**
 * Where an audit stands after seq `seq`: the log head and the replayed state. Pass it as `resume`
 * to continue an audit (the state is kept by reference: the auditor keeps extending it).
 */
export interface AuditCheckpoint {
  readonly seq: number
  /** The log head after `seq` (32 bytes). */
  readonly head: Uint8Array
  readonly state: ReplayState
}

/** The state root and log head after a given seq: what a layer-1 commitment carries. */
export interface RootSnapshot {
  readonly seq: number
  /** hex */
  readonly head: string
  /** hex */
  readonly root: string
}

/** A short description of a task, for evidence. */
export interface TaskSummary {
  readonly kind: Task['kind']
  /** For a layer-2 tx: its id, signer and nonce (hex / number). */
  readonly txId?: string
  readonly signer?: string
  readonly nonce?: number
  /** For other tasks: the account they name. */
  readonly account?: string
}

/** What every divergence says: where (seq), what was expected and what was found. */
interface DivergenceBase {
  /** The seq of the first entry that does not check out. */
  readonly seq: number
  readonly message: string
  /** The served entry's bytes (hex), when there is one. */
  readonly bytes?: string
}

/**
 * The first place the served log and the auditor's replay disagree, with the evidence.
 *
 * - `SEQ_MISMATCH`: the entry at this position carries another seq (a gap, a repeat or a reordering of seq numbers).
 * - `HEAD_MISMATCH`: `H(prevHead ‖ u64be(seq) ‖ bytes)` is not the served head (bytes or head tampered with).
 * - `UNDECODABLE`: the bytes are not a canonical task (`code` is the decoder's).
 * - `REFUSED`: the task does not apply to the replayed state (`rejection.code`: `BAD_SIGNATURE` for a
 *   forged signature, `BAD_NONCE` for a reordering, `INSUFFICIENT_BALANCE`, …): the operator applied
 *   something the protocol refuses.
 * - `MISSING_ENTRIES`: the node says its log reaches `expected`, but serves only up to `found`.
 * - `COMMITMENT_MISMATCH`: (from `checkCommitments` / `checkAgainstL1`) a commitment's root, head or seq
 *   differs from the replay's (`seq`: the commitment is past the served log), or its absorbed deposits do
 *   not hash to its datum's `depositsHash`.
 * - `DEPOSIT_NOT_CREDITED`: (from `checkAgainstL1`) a commit absorbed a deposit on layer 1 that the log
 *   never credited (or credited after the commitment's seq, or to another owner or amount).
 * - `EXIT_NOT_RECORDED`: (from `checkAgainstL1`) an exit paid on layer 1 before a commitment is not in
 *   the log up to that commitment's seq.
 * - `DEPOSIT_NOT_ABSORBED`: (from `checkAgainstL1`) the log credits a deposit at a seq inside a
 *   commitment's range (after the previous commitment's seq, up to its own) and that commitment did not
 *   absorb it on layer 1 (`seq` is the credit's). A batch absorbs exactly the deposits credited in it.
 * - `DEPOSIT_NOT_ON_L1`: (from `checkAgainstL1` / `checkLogEventsOnL1`) the log credits a deposit that
 *   layer 1 never had as credited: no tx with that hash, no such output, not at the instance's deposit
 *   address, another owner or amount, or other assets besides ADA (`seq` is the credit's).
 * - `EXIT_NOT_ON_L1`: (from `checkLogEventsOnL1`) the log records an exit as paid by a layer-1 tx that is
 *   not a Withdraw of the anchor paying that account at least that amount (`seq` is the `exitPaid`'s).
 * - `CONSERVATION_MISMATCH`: (from `auditWithL1`) the ADA layer 1 holds for layer 2 (anchor − reserve +
 *   unabsorbed credited deposits) differs from what layer 2 owes (balances + pending exits − exits paid
 *   but not recorded yet), read at one settled moment.
 * - `BATCH_MISMATCH`: (from `checkNodeBatches`) the node's `GET /batches` says something about a batch that
 *   layer 1 does not (`expected` is layer 1's, `found` the node's).
 */
export type AuditDivergence =
  | (DivergenceBase & { readonly kind: 'SEQ_MISMATCH'; readonly expected: number; readonly found: number })
  | (DivergenceBase & { readonly kind: 'HEAD_MISMATCH'; readonly expected: string; readonly found: string })
  | (DivergenceBase & { readonly kind: 'UNDECODABLE'; readonly code: string })
  | (DivergenceBase & { readonly kind: 'REFUSED'; readonly task: TaskSummary; readonly rejection: Rejection })
  | (DivergenceBase & { readonly kind: 'MISSING_ENTRIES'; readonly expected: number; readonly found: number })
  | (DivergenceBase & {
      readonly kind: 'COMMITMENT_MISMATCH'
      readonly batch: number
      readonly field: 'root' | 'head' | 'seq' | 'depositsHash'
      readonly expected: string
      readonly found: string
      /** The commit tx on layer 1, when read from there. */
      readonly l1Tx?: string
    })
  | (DivergenceBase & {
      readonly kind: 'DEPOSIT_NOT_CREDITED'
      readonly batch: number
      /** The deposit output, `txHash#index`. */
      readonly outRef: string
      readonly expected: string
      readonly found: string
      readonly l1Tx: string
    })
  | (DivergenceBase & {
      readonly kind: 'EXIT_NOT_RECORDED'
      readonly batch: number
      readonly account: string
      readonly expected: string
      readonly found: string
      readonly l1Tx: string
    })
  | (DivergenceBase & {
      readonly kind: 'DEPOSIT_NOT_ABSORBED'
      /** The commitment that should have absorbed it. */
      readonly batch: number
      /** The deposit output, `txHash#index`. */
      readonly outRef: string
      readonly expected: string
      readonly found: string
      /** The commit tx. */
      readonly l1Tx: string
    })
  | (DivergenceBase & {
      readonly kind: 'DEPOSIT_NOT_ON_L1'
      /** The deposit output the log credits, `txHash#index`. */
      readonly outRef: string
      readonly expected: string
      readonly found: string
    })
  | (DivergenceBase & {
      readonly kind: 'EXIT_NOT_ON_L1'
      readonly account: string
      /** The layer-1 tx the log says paid it. */
      readonly l1Tx: string
      readonly expected: string
      readonly found: string
    })
  | (DivergenceBase & {
      readonly kind: 'CONSERVATION_MISMATCH'
      /** What layer 2 owes (lovelace, decimal). */
      readonly expected: string
      /** What layer 1 holds for it (lovelace, decimal). */
      readonly found: string
    })
  | (DivergenceBase & {
      readonly kind: 'BATCH_MISMATCH'
      readonly batch: number
      readonly field: string
      readonly expected: string
      readonly found: string
    })

/** Progress of a running audit, after each page. */
export interface AuditProgress {
  /** The last seq checked and replayed. */
  readonly seq: number
  /** The node's tip seq when it served the last page. */
  readonly tipSeq: number
  /** Tasks replayed in this run. */
  readonly tasks: number
  readonly signaturesChecked: number
  readonly elapsedMs: number
}

/** Counts of replayed tasks by kind. */
export type TaskCounts = Record<Task['kind'], number>

/** What an audit establishes, up to the last entry that checked out. */
export interface AuditSummary {
  /** Tasks replayed in this run. */
  readonly tasks: number
  readonly byKind: TaskCounts
  /** Signatures re-checked: one ed25519 per layer-2 tx, one CIP-8 per registration or rotation. */
  readonly signaturesChecked: number
  /** The last seq that checked out (including resumed ones). */
  readonly seq: number
  /** The log head after `seq`, hex. */
  readonly head: string
  /** The replayed state root after `seq`, hex. */
  readonly root: string
  /** Roots at the seqs asked for in `rootsAt` (for `checkCommitments`), plus the final one. */
  readonly roots: readonly RootSnapshot[]
  /** To continue this audit later (`resume`). */
  readonly checkpoint: AuditCheckpoint
  readonly elapsedMs: number
  readonly tasksPerSecond: number
  /** Signatures the pre-check could not settle (a key changed in between) and that were checked inline. */
  readonly inlineVerifies: number
}

/** The outcome of `auditLog`: everything checked out, or the first divergence. */
export type AuditResult = (AuditSummary & { readonly ok: true }) | (AuditSummary & { readonly ok: false; readonly divergence: AuditDivergence })

/**
 * The log could not be downloaded (network, node down, malformed page): not a divergence. `checkpoint`
 * says how far the audit got; pass it as `resume` to continue.
 *
 * @example
 * try { await auditLog({ client, ctx }) } catch (e) {
 *   if (e instanceof AuditInterruptedError) await auditLog({ client, ctx, resume: e.checkpoint })
 * }
 */
export class AuditInterruptedError extends LagoonError {
  declare readonly code: 'AUDIT_INTERRUPTED'
  readonly checkpoint: AuditCheckpoint
  constructor(message: string, checkpoint: AuditCheckpoint, cause: unknown) {
    super('AUDIT_INTERRUPTED', message, { cause, details: { seq: checkpoint.seq } })
    this.checkpoint = checkpoint
  }
}
