import type { AuditDivergence } from '@lagoon/sdk'
import type { AuditConservation, AuditWithL1Result } from '@lagoon/sdk/audit-l1'
import { formatAda } from './ada.js'

/**
 * The evidence lines of a divergence, as `lagoon audit` prints them under `AUDIT FAILED`.
 *
 * @example
 * out.result(data, () => ['AUDIT FAILED: …', ...evidenceLines(d)].join('\n'))
 */
export function evidenceLines(d: AuditDivergence): string[] {
  const lines = [`divergence: ${d.kind} at seq ${d.seq}`, `  ${d.message}`]
  const x = d as unknown as Record<string, unknown>
  if (x.batch !== undefined) lines.push(`  batch:    ${x.batch}`)
  if (x.l1Tx !== undefined) lines.push(`  l1 tx:    ${x.l1Tx}`)
  if (x.outRef !== undefined) lines.push(`  deposit:  ${x.outRef}`)
  if (x.account !== undefined) lines.push(`  account:  ${x.account}`)
  if (x.field !== undefined) lines.push(`  field:    ${x.field}`)
  if (x.expected !== undefined) lines.push(`  expected: ${x.expected}`)
  if (x.found !== undefined) lines.push(`  found:    ${x.found}`)
  if (d.kind === 'REFUSED') lines.push(`  task:     ${JSON.stringify(d.task)}`, `  refused:  ${d.rejection.code}: ${d.rejection.message}`)
  if (d.bytes !== undefined) lines.push(`  bytes:    ${d.bytes.length > 400 ? `${d.bytes.slice(0, 400)}…` : d.bytes}`)
  return lines
}

/**
 * The conservation statement of an audit against layer 1, three lines (`ADA:` section).
 *
 * @example
 * conservationLines(r.conservation) // ['  ADA:      layer 1 holds 53 ADA for layer 2: …', …]
 */
export function conservationLines(c: AuditConservation): string[] {
  const verdict = !c.settled
    ? `not settled: layer 1 moved past the audited log (seq ${c.seq.toLocaleString('en-US')}) while it was read; rerun to settle it`
    : c.ok
      ? `conservation holds at seq ${c.seq.toLocaleString('en-US')}: layer 1 holds exactly what layer 2 owes`
      : `CONSERVATION FAILS at seq ${c.seq.toLocaleString('en-US')}: layer 1 holds ${formatAda(c.difference < 0n ? -c.difference : c.difference)} ${c.difference < 0n ? 'less' : 'more'} than layer 2 owes`
  return [
    `  ADA:      layer 1 holds ${formatAda(c.layer1)} for layer 2: anchor ${formatAda(c.anchorLovelace)} − reserve ${formatAda(c.reserveLovelace)} + ${formatAda(c.unabsorbedDeposits)} of credited deposits not absorbed yet`,
    `            layer 2 owes ${formatAda(c.layer2)}: balances ${formatAda(c.balances)} + pending exits ${formatAda(c.pendingExits)} − ${formatAda(c.exitsPaidUnrecorded)} paid on layer 1, not recorded yet`,
    `            ${verdict}`,
  ]
}

/**
 * The `layer 1:` lines of a passed audit: commitments, deposits and exits as checked on the chain.
 *
 * @example
 * layer1Lines(r) // ['  layer 1:  2 commitments match the replay …', …]
 */
export function layer1Lines(r: AuditWithL1Result): string[] {
  const { l1, events } = r
  return [
    `  layer 1:  ${l1.commitments} commitments match the replay (last: batch ${l1.lastBatch} at seq ${l1.lastCommittedSeq}); anchor ${l1.mode}`,
    `            ${l1.depositsAbsorbed} absorbed deposits credited, each by its batch; ${l1.creditedNotAbsorbed} credited deposits not absorbed yet, ${events.creditsChecked} of them found on layer 1`,
    `            ${l1.exitsChecked} paid exits recorded; ${events.exitsPaidChecked} recorded exits each paid by a Withdraw on layer 1`,
  ]
}
