import { auditLog, type AuditLogParams } from '../auditLog.js'
import type { AuditDivergence, AuditResult } from '../types.js'
import { auditConservation, type AuditConservation } from './auditConservation.js'
import { checkAgainstL1, checkNodeBatches, confirmedNumbers, type L1CheckResult, type NodeBatch } from './checkAgainstL1.js'
import { checkLogEventsOnL1, type LogEventsCheck } from './checkLogEventsOnL1.js'
import { l1EventCollector } from './l1EventCollector.js'
import { l1EventMatcher } from './l1EventMatcher.js'
import type { L1Reader } from './L1Reader.js'
import { readAnchorHistory, type AnchorStep, type InstanceAddresses } from './readAnchorHistory.js'

/**
 * Parameters of {@link auditWithL1}: those of `auditLog`, plus where the instance is on layer 1.
 *
 * @example
 * const p: AuditWithL1Params = { client, ctx, l1: devnetReader(devnet), instance: scripts }
 */
export interface AuditWithL1Params extends Omit<AuditLogParams, 'rootsAt' | 'onApplied'> {
  readonly l1: L1Reader
  readonly instance: InstanceAddresses
  /**
   * The node's `GET /batches` (all of them), to check it against layer 1 too; optional. For a node that
   * is still working pass a function that fetches them: it is called before and after the chain is
   * read, so a commitment posted meanwhile is not taken for a hidden one (see `checkNodeBatches`).
   */
  readonly nodeBatches?: readonly NodeBatch[] | (() => Promise<readonly NodeBatch[]>)
  /** Called with each anchor tx read, walking back from the current anchor. */
  readonly onL1Step?: (step: AnchorStep) => void
}

/**
 * The outcome of {@link auditWithL1}: the log audit, the layer-1 comparison and the first divergence.
 *
 * @example
 * const { ok, divergence, l1 } = await auditWithL1(p)
 */
export interface AuditWithL1Result {
  readonly ok: boolean
  /** The first divergence in log order (a commitment before a bad log entry comes first). */
  readonly divergence?: AuditDivergence
  readonly audit: AuditResult
  readonly l1: L1CheckResult
  /** The open tail's credits and every `exitPaid`, checked on layer 1 (`checkLogEventsOnL1`). */
  readonly events: LogEventsCheck
  /** Layer 1 holds for layer 2 what layer 2 owes, at the audited seq (`auditConservation`). */
  readonly conservation: AuditConservation
  /** The anchor history read from layer 1, oldest first. */
  readonly steps: readonly AnchorStep[]
  /** Node batches checked against layer 1 (when `nodeBatches` was given). */
  readonly nodeBatchesChecked?: number
}

/**
 * The whole audit: reads the commitments from layer 1 (`readAnchorHistory`: nothing from the operator),
 * audits the task log (`auditLog`: hash chain, every signature, replay with the protocol core), then
 * compares every commitment's root, log head and absorbed deposits, and every exit paid, with the
 * replay (`checkAgainstL1`); checks on layer 1 every credit after the last commitment and every
 * `exitPaid` of the log (`checkLogEventsOnL1`); states conservation at the audited seq
 * (`auditConservation`, with the deposit address and the anchor read again after the log); and, if
 * given, the node's `GET /batches` with layer 1 (`checkNodeBatches`).
 *
 * @example
 * const scripts = lagoonScripts(seed, 'Preprod')
 * const r = await auditWithL1({ client, ctx, l1: blockfrostReader({ url, projectId }), instance: scripts })
 * if (!r.ok) console.error(r.divergence!.message)
 */
export async function auditWithL1(p: AuditWithL1Params): Promise<AuditWithL1Result> {
  const given = p.nodeBatches
  const getBatches = typeof given === 'function' ? given : undefined
  const before = typeof given === 'function' ? await given() : given
  const steps = await readAnchorHistory({ l1: p.l1, instance: p.instance, ...(p.onL1Step ? { onStep: p.onL1Step } : {}) })
  const commitSeqs = steps.filter((s) => s.kind === 'commit').map((s) => Number(s.datum.logSeq))
  const collector = l1EventCollector()
  const { l1: _l1, instance: _i, nodeBatches: _b, onL1Step: _o, ...logParams } = p
  const audit = await auditLog({ ...logParams, rootsAt: commitSeqs, onApplied: collector.onApplied })
  // Only commitments the audited log reaches are comparable when the log itself diverged.
  const comparable = audit.ok ? steps : steps.filter((s) => s.kind !== 'commit' || Number(s.datum.logSeq) <= audit.seq)
  const l1 = checkAgainstL1({ steps: comparable, result: audit, events: collector.events })
  const matcher = l1EventMatcher(collector.events)
  for (const s of comparable) if (s.kind === 'commit') matcher.commit(s)
  const events = await checkLogEventsOnL1({ l1: p.l1, instance: p.instance, steps, credits: matcher.tail(), exits: collector.events.exits })
  // Layer 1 again, after the log: the deposit address, then the anchor's newest steps.
  const atDepositAddress = new Set((await p.l1.utxosAt(p.instance.depositAddress)).map((u) => `${u.txHash}#${u.outputIndex}`))
  const last = steps[steps.length - 1]!
  const newer = await readAnchorHistory({ l1: p.l1, instance: p.instance, stopAt: `${last.txHash}#${last.outputIndex}` })
  const now = newer[0]?.kind === 'genesis' ? newer : [...steps, ...newer]
  const conservation = auditConservation({ steps: now, events: collector.events, state: audit.checkpoint.state, seq: audit.seq, atDepositAddress })
  let divergence = firstInLog([!l1.ok ? l1.divergence : undefined, !events.ok ? events.divergence : undefined, !audit.ok ? audit.divergence : undefined])
  if (divergence === undefined && conservation.settled && !conservation.ok) {
    divergence = {
      kind: 'CONSERVATION_MISMATCH',
      seq: audit.seq,
      expected: String(conservation.layer2),
      found: String(conservation.layer1),
      message: `at seq ${audit.seq} layer 2 owes ${conservation.layer2} lovelace but layer 1 holds ${conservation.layer1} for it: ${conservation.summary}`,
    }
  }
  let nodeBatchesChecked: number | undefined
  if (divergence === undefined && before) {
    const after = getBatches ? await getBatches() : before
    const b = checkNodeBatches(after, steps, { confirmedBefore: confirmedNumbers(before) })
    if (b.ok) nodeBatchesChecked = b.checked
    else divergence = b.divergence
  }
  return { ok: divergence === undefined, ...(divergence ? { divergence } : {}), audit, l1, events, conservation, steps, ...(nodeBatchesChecked !== undefined ? { nodeBatchesChecked } : {}) }
}

/** The divergence at the lowest seq; on a tie, the earlier in the list (layer-1 commitments first). */
function firstInLog(ds: readonly (AuditDivergence | undefined)[]): AuditDivergence | undefined {
  let best: AuditDivergence | undefined
  for (const d of ds) if (d && (!best || d.seq < best.seq)) best = d
  return best
}
