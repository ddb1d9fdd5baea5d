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
 * Returns the first mismatch (or a commitment past the audited log) as a `COMMITMENT_MISMATCH`
 * divergence. Reading commitments from layer 1 is the layer-1 follower's job (not here yet).
 *
 * @example
 * const r = await auditLog({ client, ctx, rootsAt: commitments.map((c) => c.seq) })
 * const c = checkCommitments(r, commitments)
 * if (!c.ok) console.error(c.divergence.message)
 */
export function checkCommitments(result: AuditResult, commitments: readonly LogCommitment[]): { ok: true; checked: number } | { ok: false; divergence: AuditDivergence } {
  const bySeq = new Map(result.roots.map((r) => [r.seq, r]))
  let checked = 0
  for (const c of commitments) {
    const snap = bySeq.get(c.seq)
    if (!snap) {
      return {
        ok: false,
        divergence: {
          kind: 'COMMITMENT_MISMATCH',
          batch: c.batch,
          seq: c.seq,
          field: 'seq',
          expected: `a replayed seq ≤ ${result.seq}`,
          found: String(c.seq),
          message: `batch ${c.batch} commits to seq ${c.seq}, which the audit ${c.seq > result.seq ? 'has not reached' : 'did not record (add it to rootsAt)'}`,
        },
      }
    }
    for (const field of ['head', 'root'] as const) {
      if (snap[field] !== c[field].toLowerCase()) {
        return {
          ok: false,
          divergence: {
            kind: 'COMMITMENT_MISMATCH',
            batch: c.batch,
            seq: c.seq,
            field,
            expected: snap[field],
            found: c[field],
            message: `batch ${c.batch} commits to a ${field === 'root' ? 'state root' : 'log head'} at seq ${c.seq} that the replay does not reach`,
          },
        }
      }
    }
    checked++
  }
  return { ok: true, checked }
}
