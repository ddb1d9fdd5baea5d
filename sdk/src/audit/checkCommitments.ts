import type { AuditDivergence, AuditResult } from './types.js'

/** What a layer-1 commitment carries about the log (the anchor datum): batch, seq, log head and root. */
export interface LogCommitment {
  readonly batch: number
  readonly seq: number
  /** hex */
  readonly head: string
  /** hex */
  readonly root: string
}

/**
 * Compares layer-1 commitments with an audit's replay: every commitment's head and root must equal the
 * replay's at its seq. Audit with `rootsAt: commitments.map((c) => c.seq)` so the replay recorded them.
 * Returns the first mismatch as a `COMMITMENT_MISMATCH` divergence; a commitment past the audited log
 * is one too (`field: 'seq'`): a log that ends before a batch said to be committed is never judged as
 * matching. `auditWithL1` reads the commitments from layer 1; `lagoon audit` without `--l1` passes the
 * node's confirmed batches.
 *
 * @example
 * const r = await auditLog({ client, ctx, rootsAt: commitments.map((c) => c.seq) })
 * const c = checkCommitments(r, commitments)
 * if (!c.ok) console.error(c.divergence.message)
 */
export function checkCommitments(result: AuditResult, commitments: readonly LogCommitment[]): { ok: true; checked: number } | { ok: false; divergence: AuditDivergence } {
  const bySeq = new Map(result.roots.map((r) => [r.seq, r]))
  const mismatch = (c: LogCommitment, field: 'seq' | 'head' | 'root', expected: string, found: string, message: string) =>
    ({ ok: false, divergence: { kind: 'COMMITMENT_MISMATCH', batch: c.batch, seq: c.seq, field, expected, found, message } }) as const
  let checked = 0
  for (const c of commitments) {
    const snap = bySeq.get(c.seq)
    if (!snap) {
      const message =
        c.seq > result.seq
          ? `batch ${c.batch} commits to seq ${c.seq}, beyond the log the audit checked (it ends at seq ${result.seq}): the tail is withheld, or the batch commits to entries that do not exist`
          : `batch ${c.batch} commits to seq ${c.seq}, which the audit did not record (add it to rootsAt)`
      return mismatch(c, 'seq', `a replayed seq ≤ ${result.seq}`, String(c.seq), message)
    }
    for (const field of ['head', 'root'] as const) {
      if (snap[field] !== c[field].toLowerCase()) {
        const what = field === 'root' ? 'state root' : 'log head'
        return mismatch(c, field, snap[field], c[field], `batch ${c.batch} commits to a ${what} at seq ${c.seq} that the replay does not reach`)
      }
    }
    checked++
  }
  return { ok: true, checked }
}
