import { toHex } from '../../core/bytes.js'
import { blake2b256Reference } from '../../core/crypto/blake2b256.js'
import { GENESIS_LOG_HEAD } from '../../core/log/nextLogHead.js'
import { emptyHashes, TREE_DEPTH } from '../../core/merkle/emptyHashes.js'
import type { AuditDivergence, AuditResult } from '../types.js'
import type { L1Events } from './l1EventCollector.js'
import { l1EventMatcher } from './l1EventMatcher.js'
import type { AnchorStep } from './readAnchorHistory.js'

/**
 * What {@link checkAgainstL1} establishes.
 *
 * @example
 * const { commitments, lastBatch, depositsAbsorbed } = checkAgainstL1({ steps, result, events })
 */
export interface L1CheckSummary {
  /** Commitments whose root, log head and seq equal the replay's. */
  readonly commitments: number
  /** The last committed batch number checked (0: none). */
  readonly lastBatch: number
  /** The last committed seq (0: none). */
  readonly lastCommittedSeq: number
  /** Deposits absorbed on layer 1, each credited by the log before its commitment. */
  readonly depositsAbsorbed: number
  /** Exits paid on layer 1 before the last commitment, each recorded by the log. */
  readonly exitsChecked: number
  /** Deposits credited by the log and not (yet) absorbed by a commitment. */
  readonly creditedNotAbsorbed: number
  /** Exits paid on layer 1 after the last commitment (recorded by a later batch). */
  readonly exitsAfterLastCommit: number
  /** The anchor's mode now. */
  readonly mode: 'active' | 'frozen'
}

/**
 * The outcome of {@link checkAgainstL1}.
 *
 * @example
 * const r: L1CheckResult = checkAgainstL1({ steps, result, events }); if (!r.ok) console.error(r.divergence.message)
 */
export type L1CheckResult = ({ readonly ok: true } & L1CheckSummary) | ({ readonly ok: false; readonly divergence: AuditDivergence } & L1CheckSummary)

/**
 * Parameters of {@link checkAgainstL1}.
 *
 * @example
 * checkAgainstL1({ steps: await readAnchorHistory({ l1, instance }), result, events: collector.events })
 */
export interface CheckAgainstL1Params {
  /** The anchor history from `readAnchorHistory` (oldest first). */
  readonly steps: readonly AnchorStep[]
  /** The replay, audited with `rootsAt` = every commit's `logSeq`. */
  readonly result: AuditResult
  /** What the replay credited and recorded (`l1EventCollector`). */
  readonly events: L1Events
}

/**
 * Compares every layer-1 commitment with the replay, in chain order, and returns the first divergence:
 * the genesis datum (empty root, genesis head, seq 0); for every Commit, its root and log head equal the
 * replay's at its `logSeq` (a commitment past the served log is a divergence: entries are withheld),
 * its absorbed deposits hash to its datum, each was credited by the log (same owner and amount, ADA only)
 * at a seq ≤ `logSeq`, and every deposit the log credited in its range (after the previous commitment's
 * seq) is among them; and every exit paid by a Withdraw before that Commit is recorded in the log by then
 * (`l1EventMatcher`). The credits after the last commitment and every `exitPaid` are checked on layer 1
 * itself by `checkLogEventsOnL1` (it reads layer 1; this function does not).
 *
 * @example
 * const c = l1EventCollector()
 * const r = await auditLog({ client, ctx, rootsAt: steps.filter((s) => s.kind === 'commit').map((s) => Number(s.datum.logSeq)), onApplied: c.onApplied })
 * const check = checkAgainstL1({ steps, result: r, events: c.events })
 * if (!check.ok) console.error(check.divergence.message)
 */
export function checkAgainstL1(p: CheckAgainstL1Params): L1CheckResult {
  const { steps, result, events } = p
  const bySeq = new Map(result.roots.map((r) => [r.seq, r]))
  const matcher = l1EventMatcher(events)
  let commitments = 0
  let lastBatch = 0
  const summary = (): L1CheckSummary => ({
    commitments,
    lastBatch,
    lastCommittedSeq: matcher.lastCommittedSeq,
    depositsAbsorbed: matcher.depositsAbsorbed,
    exitsChecked: matcher.exitsChecked,
    creditedNotAbsorbed: [...events.credits.keys()].filter((k) => !matcher.absorbed.has(k)).length,
    exitsAfterLastCommit: matcher.exitsAfterLastCommit,
    mode: steps.length > 0 ? steps[steps.length - 1]!.datum.mode : 'active',
  })
  const fail = (divergence: AuditDivergence): L1CheckResult => ({ ok: false, divergence, ...summary() })

  for (const s of steps) {
    const batch = Number(s.datum.batch)
    const seq = Number(s.datum.logSeq)
    if (s.kind === 'genesis') {
      const root = toHex(emptyHashes(blake2b256Reference)[TREE_DEPTH]!)
      for (const [field, expected, found] of [
        ['root', root, s.datum.root],
        ['head', toHex(GENESIS_LOG_HEAD), s.datum.logHead],
        ['seq', '0', String(seq)],
      ] as const) {
        if (expected !== found.toLowerCase()) {
          return fail({ kind: 'COMMITMENT_MISMATCH', batch, seq, field, expected, found, l1Tx: s.txHash, message: `the genesis anchor (tx ${s.txHash}) does not start from the empty state: its ${field} is ${found}` })
        }
      }
      continue
    }
    if (s.kind === 'withdraw' || s.kind === 'exodusWithdraw') {
      matcher.withdraw(s)
      continue
    }
    if (s.kind !== 'commit') continue
    if (s.depositsHashOk === false) {
      return fail({
        kind: 'COMMITMENT_MISMATCH',
        batch,
        seq,
        field: 'depositsHash',
        expected: s.datum.depositsHash,
        found: `${s.deposits?.length ?? 0} absorbed deposits hashing otherwise`,
        l1Tx: s.txHash,
        message: `batch ${batch} (tx ${s.txHash}): the deposits it spends do not hash to its datum's deposits hash`,
      })
    }
    const snap = bySeq.get(seq)
    if (!snap) {
      const why = seq > result.seq ? `the log served and checked reaches only seq ${result.seq}` : 'the audit did not record it (pass rootsAt)'
      return fail({ kind: 'COMMITMENT_MISMATCH', batch, seq, field: 'seq', expected: `a seq ≤ ${result.seq}`, found: String(seq), l1Tx: s.txHash, message: `batch ${batch} (tx ${s.txHash}) commits to seq ${seq}, but ${why}` })
    }
    for (const field of ['root', 'head'] as const) {
      const found = (field === 'root' ? s.datum.root : s.datum.logHead).toLowerCase()
      if (snap[field] !== found) {
        const what = field === 'root' ? 'state root' : 'log head'
        return fail({
          kind: 'COMMITMENT_MISMATCH',
          batch,
          seq,
          field,
          expected: snap[field],
          found,
          l1Tx: s.txHash,
          message: `batch ${batch} (tx ${s.txHash}) commits to ${what} ${found} at seq ${seq}; the replay has ${snap[field]}`,
        })
      }
    }
    const d = matcher.commit(s)
    if (d) return fail(d)
    commitments++
    lastBatch = batch
  }
  return { ok: true, ...summary() }
}

/**
 * A batch as the node's `GET /batches` reports it (the fields checked).
 *
 * @example
 * const batches = await createLagoonClient({ url: node }).request<NodeBatch[]>({ method: 'GET', path: '/batches?limit=1000' }) // bounded: size and deadline
 */
export interface NodeBatch {
  readonly number: number
  readonly root: string
  readonly lastSeq: number
  readonly logHead: string
  readonly l1Tx: string | null
  readonly status: string
}

/**
 * Checks what a node says about its batches (`GET /batches`) against layer 1: every batch the node
 * calls confirmed must be a commitment on the chain with the same tx, root, log head and seq, and
 * every commitment on the chain must be listed. A node cannot hide nor invent a commitment.
 *
 * Against a live node the two reads race, so each rule uses the list that makes it exact. The node
 * lists a batch before it posts its commitment, so `batches` should be fetched *after* the chain was
 * read: every commitment read is then listed. A batch may become confirmed after the chain was read,
 * so only the batches in `confirmedBefore` (confirmed in a list fetched *before* the chain read) must
 * be on the chain; the default is those confirmed in `batches` (right for a node that is not moving).
 *
 * @example
 * const before = await getBatches()
 * const steps = await readAnchorHistory({ l1, instance })
 * const r = checkNodeBatches(await getBatches(), steps, { confirmedBefore: confirmedNumbers(before) })
 */
export function checkNodeBatches(
  batches: readonly NodeBatch[],
  steps: readonly AnchorStep[],
  opts: { readonly confirmedBefore?: ReadonlySet<number> } = {},
): { ok: true; checked: number } | { ok: false; divergence: AuditDivergence } {
  const commits = new Map(steps.filter((s) => s.kind === 'commit').map((s) => [Number(s.datum.batch), s]))
  const listed = new Map(batches.map((b) => [b.number, b]))
  const mustBeOnChain = opts.confirmedBefore ?? confirmedNumbers(batches)
  const bad = (batch: number, seq: number, field: string, expected: string, found: string) =>
    ({ ok: false, divergence: { kind: 'BATCH_MISMATCH', batch, seq, field, expected, found, message: `the node's GET /batches says batch ${batch} has ${field} ${found}; layer 1 has ${expected}` } }) as const
  let checked = 0
  for (const [n, s] of commits) {
    const b = listed.get(n)
    const seq = Number(s.datum.logSeq)
    if (!b) return bad(n, seq, 'presence', `commit tx ${s.txHash}`, 'not listed')
    if (b.status !== 'confirmed') continue // the node may not have seen k confirmations yet
    const pairs: [string, string, string][] = [
      ['l1Tx', s.txHash, b.l1Tx ?? 'null'],
      ['root', s.datum.root, b.root],
      ['logHead', s.datum.logHead, b.logHead],
      ['lastSeq', String(seq), String(b.lastSeq)],
    ]
    for (const [field, expected, found] of pairs) if (expected.toLowerCase() !== found.toLowerCase()) return bad(n, seq, field, expected, found)
    checked++
  }
  for (const b of batches) {
    if (b.status === 'confirmed' && mustBeOnChain.has(b.number) && !commits.has(b.number)) return bad(b.number, b.lastSeq, 'presence', 'no such commitment on layer 1', `confirmed (tx ${b.l1Tx})`)
  }
  return { ok: true, checked }
}

/**
 * The numbers of the batches a node's list calls confirmed (for `checkNodeBatches`' `confirmedBefore`).
 *
 * @example
 * confirmedNumbers([{ number: 1, status: 'confirmed', … }, { number: 2, status: 'submitted', … }]) // Set { 1 }
 */
export function confirmedNumbers(batches: readonly NodeBatch[]): Set<number> {
  return new Set(batches.filter((b) => b.status === 'confirmed').map((b) => b.number))
}
