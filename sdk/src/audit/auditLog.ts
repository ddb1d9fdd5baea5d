import { getLogPage } from '../client/actions/getLog.js'
import type { BaseClient } from '../client/transport.js'
import type { LogEntryBytes, LogPage } from '../client/types.js'
import { NetworkError } from '../client/errors.js'
import { bytesKey, toHex } from '../core/bytes.js'
import { bytesEqual } from '../core/cbor/canonical.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../core/log/nextLogHead.js'
import { verifyKeyAuthorization } from '../core/registration/verifyKeyAuthorization.js'
import { apply } from '../core/state/apply.js'
import { MemoryState } from '../core/state/MemoryState.js'
import type { ApplyContext } from '../core/state/types.js'
import { decodeTask } from '../core/task/decodeTask.js'
import type { Task } from '../core/task/types.js'
import { LagoonError } from '../errors/LagoonError.js'
import { pureBatchVerifier, type BatchVerifier } from './BatchVerifier.js'
import {
  AuditInterruptedError,
  type AuditCheckpoint,
  type AuditDivergence,
  type AuditProgress,
  type AuditResult,
  type FetchLogPage,
  type RootSnapshot,
  type TaskCounts,
  type TaskSummary,
} from './types.js'

/** Parameters of {@link auditLog}: where the log comes from (`fetchPage` or `client`) and the instance's context. */
export interface AuditLogParams {
  /** Fetches pages of the log; or give `client`. */
  readonly fetchPage?: FetchLogPage
  /** A Lagoon client (or bare transport) to fetch `GET /log` from. */
  readonly client?: BaseClient
  /** The instance's parameters and crypto: the same context the sequencer applies tasks with. */
  readonly ctx: ApplyContext
  /** Entries per page; default 5,000 (the node serves at most 10,000). */
  readonly pageSize?: number
  /** Continue from an earlier audit's checkpoint instead of from the genesis. */
  readonly resume?: AuditCheckpoint
  /** Stop after this seq (inclusive); default: the node's tip. */
  readonly to?: number
  /** Checks transaction signatures ahead of the replay; default: `ctx.verifyEd25519` on this thread. */
  readonly verifier?: BatchVerifier
  /** Record the root and head after each of these seqs (for `checkCommitments`). */
  readonly rootsAt?: Iterable<number>
  /** Retries of a page whose download fails, with backoff, before `AuditInterruptedError`; default 3. */
  readonly retries?: number
  /** Called after every page. */
  readonly onProgress?: (p: AuditProgress) => void
  /** Called with every task once it applied (e.g. `l1EventCollector().onApplied`, for `checkAgainstL1`). */
  readonly onApplied?: (seq: number, task: Task, entry: LogEntryBytes) => void
  /**
   * Wraps the replay of each page (e.g. better-sqlite3's `db.transaction`), so that a state kept in a
   * database (`resume.state`) commits a page at a time. Default: no wrapping.
   */
  readonly transaction?: <T>(fn: () => T) => T
  readonly signal?: AbortSignal
}

interface Prepared {
  readonly entries: LogEntryBytes[]
  readonly tasks: Task[]
  /** Per task: index into the verify batch, or -1. */
  readonly slot: Int32Array
  readonly keys: Uint8Array[]
  readonly results: Promise<Uint8Array>
  /** A divergence found while checking the chain or decoding (at entries.length, after the good ones). */
  readonly divergence: AuditDivergence | undefined
  readonly tipSeq: number
}

function summarize(task: Task): TaskSummary {
  switch (task.kind) {
    case 'tx':
      return { kind: 'tx', txId: toHex(task.tx.id), signer: toHex(task.tx.body.signer), nonce: task.tx.body.nonce }
    case 'register':
    case 'rotate':
      return { kind: task.kind, account: toHex(task.account) }
    case 'deposit':
      return { kind: 'deposit', account: toHex(task.owner) }
    case 'exitPaid':
      return { kind: 'exitPaid', account: toHex(task.account) }
  }
}

/**
 * Audits a Lagoon task log: downloads it in pages (prefetching the next page while checking one),
 * checks that every entry's seq follows and every head chains (`head = H(prev ‖ u64be(seq) ‖ bytes)`),
 * decodes every task, re-checks every signature (ed25519 of every transaction, batched through
 * `verifier` ahead of the replay; CIP-8 of every registration and rotation) and replays every task with
 * the protocol core's `apply` on a `MemoryState` (what `MemoryLedger` does), so the state it ends with is
 * the one the sequencer computed. Needs nothing from the operator but the public log.
 *
 * Returns `ok: true` with the tip's seq, head and root, or `ok: false` with the first divergence and its
 * evidence (see `AuditDivergence`); everything before the divergence is in the summary. A download that
 * fails throws `AuditInterruptedError` with a checkpoint to resume from. Layer-1 commitments are
 * checked afterwards with `checkCommitments(result, commitments)` (ask for their seqs in `rootsAt`).
 *
 * @example
 * const ctx = { params, hash: await loadBlake2b256(), verifyEd25519: createNodeEd25519Verify() }
 * const r = await auditLog({ client: createLagoonClient({ url }), ctx, onProgress: (p) => console.log(p.seq, '/', p.tipSeq) })
 * if (!r.ok) console.error(r.divergence.kind, 'at seq', r.divergence.seq, r.divergence.message)
 * else console.log(`${r.tasks} tasks, ${r.signaturesChecked} signatures, root ${r.root}`)
 */
export async function auditLog(params: AuditLogParams): Promise<AuditResult> {
  const { ctx } = params
  const hash = ctx.hash
  const limits = ctx.params.limits
  const pageSize = params.pageSize ?? 5000
  const fetchPage: FetchLogPage =
    params.fetchPage ??
    (params.client
      ? (from, limit, signal) => getLogPage(params.client!, { from, limit, ...(signal ? { signal } : {}) })
      : (() => {
          throw new LagoonError('MISSING_CONFIG', 'auditLog needs `fetchPage` or `client`')
        })())
  const verifier = params.verifier ?? pureBatchVerifier(ctx.verifyEd25519)
  const rootsAt = new Set(params.rootsAt ?? [])
  const started = Date.now()

  // The replay.
  const state = params.resume?.state ?? new MemoryState(hash)
  let seq = params.resume?.seq ?? 0
  let head = params.resume?.head ?? GENESIS_LOG_HEAD
  const roots: RootSnapshot[] = []
  const byKind: TaskCounts = { tx: 0, register: 0, rotate: 0, deposit: 0, exitPaid: 0 }
  let tasks = 0
  let signaturesChecked = 0
  let inlineVerifies = 0

  // The signature pre-check: apply asks `verifyEd25519` and gets the batch's answer when it asks about
  // exactly the (key, tx id, signature) that was pre-checked; anything else is verified inline.
  let pre: { key: Uint8Array; id: Uint8Array; sig: Uint8Array; ok: boolean } | undefined
  const replayCtx: ApplyContext = {
    ...ctx,
    verifyEd25519: (pk, msg, sig) => {
      if (pre !== undefined && msg === pre.id && sig === pre.sig && bytesEqual(pk, pre.key)) return pre.ok
      inlineVerifies++
      return ctx.verifyEd25519(pk, msg, sig)
    },
  }
  // Keys set by key tasks already seen by `prepare` but maybe not yet replayed: the hint for which
  // key a later transaction's signature should be checked against.
  const pendingKeys = new Map<string, Uint8Array>()

  // Chain checking and decoding run ahead of the replay (one page ahead).
  let chainSeq = seq
  let chainHead = head

  function prepare(page: LogPage): Prepared {
    const entries: LogEntryBytes[] = []
    const decoded: Task[] = []
    let divergence: AuditDivergence | undefined
    for (const e of page.entries) {
      if (params.to !== undefined && chainSeq >= params.to) break
      const want = chainSeq + 1
      if (e.seq !== want) {
        divergence = { kind: 'SEQ_MISMATCH', seq: want, expected: want, found: e.seq, bytes: toHex(e.bytes), message: `entry ${want} of the log carries seq ${e.seq}` }
        break
      }
      const computed = nextLogHead(hash, chainHead, want, e.bytes)
      if (!bytesEqual(computed, e.head)) {
        divergence = {
          kind: 'HEAD_MISMATCH',
          seq: want,
          expected: toHex(computed),
          found: toHex(e.head),
          bytes: toHex(e.bytes),
          message: `the head served at seq ${want} is not H(previous head ‖ seq ‖ task bytes)`,
        }
        break
      }
      let task: Task
      try {
        task = decodeTask(e.bytes, hash, limits)
      } catch (err) {
        const code = err instanceof LagoonError ? err.code : 'MALFORMED_CBOR'
        divergence = { kind: 'UNDECODABLE', seq: want, code, bytes: toHex(e.bytes), message: `the task at seq ${want} does not decode: ${(err as Error).message}` }
        break
      }
      entries.push(e)
      decoded.push(task)
      chainSeq = want
      chainHead = e.head
    }
    // Which key each transaction's signature should verify with, as far as can be known ahead.
    const slot = new Int32Array(decoded.length).fill(-1)
    const keys: Uint8Array[] = []
    let n = 0
    const txIdx: number[] = []
    for (let i = 0; i < decoded.length; i++) {
      const t = decoded[i]!
      if (t.kind === 'tx') {
        const k = bytesKey(t.tx.body.signer)
        const key = pendingKeys.get(k) ?? state.getAccount(t.tx.body.signer)?.l2Key ?? undefined
        if (key) {
          slot[i] = n++
          keys.push(key)
          txIdx.push(i)
        }
      } else if (t.kind === 'register' || t.kind === 'rotate') {
        const check = verifyKeyAuthorization(t.account, t)
        if (check.ok) pendingKeys.set(bytesKey(t.account), check.authorization.l2Key)
      }
    }
    const batch = { count: n, keys: new Uint8Array(32 * n), messages: new Uint8Array(32 * n), signatures: new Uint8Array(64 * n) }
    for (let j = 0; j < n; j++) {
      const t = decoded[txIdx[j]!] as Extract<Task, { kind: 'tx' }>
      batch.keys.set(keys[j]!, 32 * j)
      batch.messages.set(t.tx.id, 32 * j)
      batch.signatures.set(t.tx.signature.length === 64 ? t.tx.signature : new Uint8Array(64), 64 * j)
    }
    const results = n > 0 ? verifier.verifyBatch(batch) : Promise.resolve(new Uint8Array(0))
    results.catch(() => undefined)
    return { entries, tasks: decoded, slot, keys, results, divergence, tipSeq: page.tipSeq }
  }

  function checkpoint(): AuditCheckpoint {
    return { seq, head, state }
  }

  function finish(divergence: AuditDivergence | undefined): AuditResult {
    const root = toHex(state.root())
    const last: RootSnapshot = { seq, head: toHex(head), root }
    const all = roots.length > 0 && roots[roots.length - 1]!.seq === seq ? roots : [...roots, last]
    const elapsedMs = Date.now() - started
    const summary = {
      tasks,
      byKind,
      signaturesChecked,
      seq,
      head: toHex(head),
      root,
      roots: all,
      checkpoint: checkpoint(),
      elapsedMs,
      tasksPerSecond: elapsedMs > 0 ? Math.round((tasks * 1000) / elapsedMs) : tasks,
      inlineVerifies,
    }
    return divergence === undefined ? { ok: true, ...summary } : { ok: false, divergence, ...summary }
  }

  const inTransaction = params.transaction ?? (<T>(fn: () => T): T => fn())

  async function replay(p: Prepared): Promise<AuditDivergence | undefined> {
    const ok = await p.results
    return inTransaction(() => replayChecked(p, ok))
  }

  function replayChecked(p: Prepared, ok: Uint8Array): AuditDivergence | undefined {
    for (let i = 0; i < p.tasks.length; i++) {
      const task = p.tasks[i]!
      const e = p.entries[i]!
      const s = p.slot[i]!
      pre = s >= 0 && task.kind === 'tx' ? { key: p.keys[s]!, id: task.tx.id, sig: task.tx.signature, ok: ok[s] === 1 } : undefined
      const r = apply(state, task, replayCtx)
      pre = undefined
      if (!r.ok) {
        return {
          kind: 'REFUSED',
          seq: e.seq,
          task: summarize(task),
          rejection: r.rejection,
          bytes: toHex(e.bytes),
          message: `the task at seq ${e.seq} is refused by the protocol: ${r.rejection.code}: ${r.rejection.message}`,
        }
      }
      state.commit(r.changes, task, e.seq)
      seq = e.seq
      params.onApplied?.(seq, task, e)
      head = e.head
      tasks++
      byKind[task.kind]++
      if (task.kind === 'tx' || task.kind === 'register' || task.kind === 'rotate') signaturesChecked++
      if (task.kind === 'register' || task.kind === 'rotate') {
        const k = bytesKey(task.account)
        if (pendingKeys.get(k) !== undefined && state.getAccount(task.account)?.l2Key && bytesEqual(pendingKeys.get(k)!, state.getAccount(task.account)!.l2Key!)) {
          pendingKeys.delete(k)
        }
      }
      if (rootsAt.has(seq)) roots.push({ seq, head: toHex(head), root: toHex(state.root()) })
    }
    return p.divergence
  }

  const retries = params.retries ?? 3
  const fetchAt = (from: number): Promise<LogPage> => {
    const limit = params.to === undefined ? pageSize : Math.max(1, Math.min(pageSize, params.to - from + 1))
    // A GET of a page is idempotent: retried (a keep-alive socket the server closed while a long page
    // was replayed fails once with ECONNRESET) before the audit gives up with a checkpoint; not a page
    // that broke a reading bound (RESPONSE_TOO_LARGE, BODY_TIMEOUT: trying again only repeats it).
    const attempt = async (n: number): Promise<LogPage> => {
      try {
        return await fetchPage(from, limit, params.signal)
      } catch (e) {
        if (n >= retries || params.signal?.aborted || (e instanceof NetworkError && !e.retryable)) throw e
        await new Promise((r) => setTimeout(r, 100 * 2 ** n))
        return attempt(n + 1)
      }
    }
    const pr = attempt(0)
    pr.catch(() => undefined)
    return pr
  }

  let pending: Prepared | undefined
  let next: Promise<LogPage> | undefined = params.to !== undefined && seq >= params.to ? undefined : fetchAt(seq + 1)
  let tipSeq = seq
  while (next) {
    let page: LogPage
    try {
      page = await next
    } catch (e) {
      // Replay what was already checked, then report where to resume from.
      if (pending) {
        const d = await replay(pending)
        if (d) return finish(d)
      }
      throw new AuditInterruptedError(`the log could not be downloaded after seq ${seq}: ${(e as Error)?.message ?? String(e)}`, checkpoint(), e)
    }
    tipSeq = Math.max(tipSeq, page.tipSeq)
    const prepared = prepare(page)
    const target = params.to ?? tipSeq
    const more = prepared.divergence === undefined && page.entries.length > 0 && chainSeq < target
    next = more ? fetchAt(chainSeq + 1) : undefined
    if (pending) {
      const d = await replay(pending)
      if (d) return finish(d)
    }
    pending = prepared
    if (!more) {
      const d = await replay(pending)
      pending = undefined
      if (d) return finish(d)
      if (seq < (params.to === undefined ? tipSeq : Math.min(params.to, tipSeq))) {
        return finish({
          kind: 'MISSING_ENTRIES',
          seq: seq + 1,
          expected: params.to === undefined ? tipSeq : Math.min(params.to, tipSeq),
          found: seq,
          message: `the node reports a log up to seq ${tipSeq} but served entries only up to ${seq}`,
        })
      }
    }
    params.onProgress?.({ seq: chainSeq, tipSeq, tasks, signaturesChecked, elapsedMs: Date.now() - started })
  }
  return finish(undefined)
}
