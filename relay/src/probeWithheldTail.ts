import { getLogPage, type AuditDivergence, type BaseClient } from '@lagoon/sdk'
import type { NodeBatch } from '@lagoon/sdk/audit-l1'

/**
 * Where a relay stands against a batch the node calls confirmed beyond the log the relay holds: the
 * relay is `behind` (the node serves the entries after the relay's seq: it will catch up), or the node
 * withholds them (`divergence`: its log ends before the batch's seq — the batch commits to entries it
 * does not serve, or to none at all).
 *
 * @example
 * const t: TailProbe = await probeWithheldTail(client, batch, seq)
 */
export type TailProbe = { readonly behind: string } | { readonly divergence: AuditDivergence }

/**
 * Asks the node for the entry after `seq` (`GET /log?from=seq+1&limit=1`). A node whose log reaches a
 * confirmed batch's last seq serves it; one that serves nothing there and says its log ends before
 * `batch.lastSeq` is withholding the tail (`COMMITMENT_MISMATCH`, field `seq`).
 *
 * @example
 * const t = await probeWithheldTail(createLagoonClient({ url: source }), { number: 14, lastSeq: 5000, … }, 812)
 * if ('divergence' in t) relay.diverge(t.divergence)
 */
export async function probeWithheldTail(client: BaseClient, batch: NodeBatch, seq: number, signal?: AbortSignal): Promise<TailProbe & { readonly tipSeq: number }> {
  const page = await getLogPage(client, { from: seq + 1, limit: 1, ...(signal ? { signal } : {}) })
  const behind = `${behindReason(batch, seq)} (the node's log reaches seq ${page.tipSeq})`
  if (page.entries.length > 0 || page.tipSeq >= batch.lastSeq) return { behind, tipSeq: page.tipSeq }
  return {
    tipSeq: page.tipSeq,
    divergence: {
      kind: 'COMMITMENT_MISMATCH',
      batch: batch.number,
      seq: batch.lastSeq,
      field: 'seq',
      expected: `a seq ≤ ${page.tipSeq}`,
      found: String(batch.lastSeq),
      ...(batch.l1Tx ? { l1Tx: batch.l1Tx } : {}),
      message: `the node calls batch ${batch.number} confirmed at seq ${batch.lastSeq}, but serves its log only to seq ${page.tipSeq}: the tail is withheld, or the batch commits to entries that do not exist`,
    },
  }
}

/**
 * The confirmed batch with the highest last seq beyond `seq` (what a relay holding the log to `seq` has
 * not reached), if any.
 *
 * @example
 * highestBeyond(relay.batches(0, 1e6), relay.status().seq)
 */
export function highestBeyond(batches: readonly NodeBatch[], seq: number): NodeBatch | undefined {
  let best: NodeBatch | undefined
  for (const b of batches) if (b.status === 'confirmed' && b.lastSeq > seq && (!best || b.lastSeq > best.lastSeq)) best = b
  return best
}

/**
 * Why a relay holding the log to `seq` is behind `batch` (its `status().reason`).
 *
 * @example
 * behindReason({ number: 14, lastSeq: 900, … }, 812) // 'batch 14 is confirmed at seq 900; the relay holds the log to seq 812 and is catching up'
 */
export function behindReason(batch: NodeBatch, seq: number): string {
  return `batch ${batch.number} is confirmed at seq ${batch.lastSeq}; the relay holds the log to seq ${seq} and is catching up`
}
