import {
  ApiError,
  AuditInterruptedError,
  auditLog,
  createLagoonClient,
  getLogPage,
  type BaseClient,
  type AuditDivergence,
  type AuditResult,
  type FetchLogPage,
} from '@lagoon/sdk'
import { auditWithL1, blockfrostReader, type NodeBatch } from '@lagoon/sdk/audit-l1'
import { createWorkerBatchVerifier, LogFile } from '@lagoon/sdk/node'
import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'
import { timeoutOption } from '../options/duration.js'
import { INSTANCE_OPTIONS, instanceContext } from '../options/instanceContext.js'
import { nodeReadError } from '../options/nodeReadError.js'

/**
 * Exit code of an audit that found a divergence (1 is "could not audit").
 *
 * @example
 * process.exitCode = result.ok ? 0 : DIVERGENCE_EXIT
 */
export const DIVERGENCE_EXIT = 3

async function nodeBatches(client: BaseClient, signal: AbortSignal): Promise<NodeBatch[]> {
  const all: NodeBatch[] = []
  for (let from = 0; ; ) {
    let page: NodeBatch[]
    try {
      page = await client.request<NodeBatch[]>({ method: 'GET', path: `/batches?from=${from}&limit=1000`, signal })
    } catch (e) {
      if (e instanceof ApiError) throw new CliError('NODE_ERROR', `GET ${client.url}/batches answered HTTP ${e.status}`, 'check --node')
      throw nodeReadError(e, client.url)
    }
    if (!Array.isArray(page)) throw new CliError('NODE_ERROR', `GET ${client.url}/batches is not a list`, 'check --node')
    all.push(...page)
    if (page.length < 1000) return all
    from = page[page.length - 1]!.number + 1
  }
}

function evidence(d: AuditDivergence): string[] {
  const lines = [`divergence: ${d.kind} at seq ${d.seq}`, `  ${d.message}`]
  const x = d as unknown as Record<string, unknown>
  if (x.batch !== undefined) lines.push(`  batch:    ${x.batch}`)
  if (x.l1Tx !== undefined) lines.push(`  l1 tx:    ${x.l1Tx}`)
  if (x.outRef !== undefined) lines.push(`  deposit:  ${x.outRef}`)
  if (x.field !== undefined) lines.push(`  field:    ${x.field}`)
  if (x.expected !== undefined) lines.push(`  expected: ${x.expected}`)
  if (x.found !== undefined) lines.push(`  found:    ${x.found}`)
  if (d.kind === 'REFUSED') lines.push(`  task:     ${JSON.stringify(d.task)}`, `  refused:  ${d.rejection.code}: ${d.rejection.message}`)
  if (d.bytes !== undefined) lines.push(`  bytes:    ${d.bytes.length > 400 ? `${d.bytes.slice(0, 400)}…` : d.bytes}`)
  return lines
}

function summaryOf(a: AuditResult) {
  return { tasks: a.tasks, byKind: a.byKind, signaturesChecked: a.signaturesChecked, seq: a.seq, head: a.head, root: a.root, elapsedMs: a.elapsedMs, tasksPerSecond: a.tasksPerSecond }
}

/**
 * `lagoon audit`: downloads a node's task log (resumable with `--resume FILE`), checks the hash chain and
 * every signature, replays it with the protocol core and compares every commitment read from layer 1
 * (`--l1`) with the replay. Exit 0: all checks out; 3: a divergence (printed with its evidence); 1: the
 * audit could not run.
 *
 * @example
 * // lagoon audit --node https://node.example --l1 https://cardano-preprod.blockfrost.io/api/v0 --l1-project-id preprod… --resume audit.log
 */
export const auditCommand: Command = {
  name: 'audit',
  summary: "check a node's task log, signatures and every layer-1 commitment",
  usage: `usage: lagoon audit [--node URL] [--l1 URL [--l1-project-id ID]] [--resume FILE] [--json]

Downloads the node's public task log, checks the hash chain and every signature, replays every task
with the protocol core, then compares every commitment read from layer 1 (root, log head and seq,
absorbed deposits) and every exit paid on layer 1 with the replay. Prints a summary, or the first
divergence with its evidence (batch, task seq, expected vs found).

options:
  --node URL            the node (env LAGOON_NODE, default http://127.0.0.1:8080)
  --l1 URL              a Blockfrost-compatible API (env LAGOON_L1_URL): the commitments are read from
                        the chain, never from the operator. Without it only the log is checked, and the
                        node's own GET /batches is compared with the replay (that trusts the node).
  --l1-project-id ID    Blockfrost project id (env LAGOON_L1_PROJECT_ID)
  --resume FILE         keep the downloaded log in FILE; a later run re-checks it and downloads only the rest
  --instance HEX        pin the instance (policy id): refuse a node that serves another one
  --operator HEX --terms HEX [--seed TX#I --network N]
                        the instance's settings, when the node does not publish GET /instance
  --workers N           signature-checking threads (default: the cores)
  --timeout D           the deadline of each read from the node, headers and whole body (default 30s)
  --json                one JSON document: { ok, audit, l1?, divergence? }

Every answer of the node is bounded: a log page by what an honest page can hold, other bodies by
16 MiB, each within --timeout; past a bound the read stops (RESPONSE_TOO_LARGE, BODY_TIMEOUT).

exit codes: 0 every check passed, 3 a divergence was found, 1 the audit could not run (the node or
layer 1 unreachable, or an answer of the node past a bound), 2 usage.`,
  options: { node: { type: 'string' }, l1: { type: 'string' }, 'l1-project-id': { type: 'string' }, resume: { type: 'string' }, workers: { type: 'string' }, timeout: { type: 'string' }, ...INSTANCE_OPTIONS },
  async run({ values, out, env, signal }) {
    const node = ((values.node as string | undefined) ?? env.LAGOON_NODE ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
    const l1Url = (values.l1 as string | undefined) ?? env.LAGOON_L1_URL
    const projectId = (values['l1-project-id'] as string | undefined) ?? env.LAGOON_L1_PROJECT_ID
    const workers = values.workers === undefined ? undefined : Number(values.workers)
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new CliError('USAGE', '--workers must be a whole number ≥ 1', 'e.g. --workers 2')
    const timeoutMs = timeoutOption(values.timeout)
    const inst = await instanceContext(node, values, signal, timeoutMs)
    if (l1Url && !inst.scripts) throw new CliError('NO_INSTANCE', 'checking layer 1 needs the instance seed and network', 'the node does not publish them: pass --seed TX#I --network N')
    const client = createLagoonClient({ url: node, timeoutMs })
    const remote: FetchLogPage = (from, limit, sig) => getLogPage(client, { from, limit, ...(sig ? { signal: sig } : {}) })
    const file = values.resume ? LogFile.open(values.resume as string, inst.instance) : undefined
    if (file && file.lastSeq > 0) out.info(`resuming: ${file.lastSeq.toLocaleString('en-US')} entries already in ${values.resume as string} (re-checked)`)
    const fetchPage = file ? file.caching(remote) : remote
    const verifier = createWorkerBatchVerifier(workers !== undefined ? { workers } : {})
    const onProgress = (p: { seq: number; tipSeq: number; elapsedMs: number; tasks: number }) =>
      out.progress('audit', p.seq, p.tipSeq, p.elapsedMs > 0 ? `${Math.round((p.tasks * 1000) / p.elapsedMs).toLocaleString('en-US')} tasks/s` : '')
    try {
      const common = { fetchPage, ctx: inst.ctx, verifier, pageSize: 5000, onProgress, signal }
      if (l1Url) {
        let txs = 0
        const r = await auditWithL1({ ...common, l1: blockfrostReader({ url: l1Url, ...(projectId ? { projectId } : {}) }), instance: inst.scripts!, nodeBatches: () => nodeBatches(client, signal), onL1Step: () => out.progress('layer-1 anchor txs read', ++txs) })
        out.progressDone()
        const data = { ok: r.ok, node, instance: inst.instance, l1: { url: l1Url, ...r.l1 }, audit: summaryOf(r.audit), nodeBatchesChecked: r.nodeBatchesChecked, ...(r.divergence ? { divergence: r.divergence } : {}) }
        out.result(data, () =>
          r.ok
            ? [
                `audit passed: instance ${inst.instance}`,
                `  log:      ${r.audit.seq.toLocaleString('en-US')} tasks, head ${r.audit.head}`,
                `            ${r.audit.signaturesChecked.toLocaleString('en-US')} signatures checked, ${r.audit.tasksPerSecond.toLocaleString('en-US')} tasks/s`,
                `  state:    root ${r.audit.root}`,
                `  layer 1:  ${r.l1.commitments} commitments match the replay (last: batch ${r.l1.lastBatch} at seq ${r.l1.lastCommittedSeq}); anchor ${r.l1.mode}`,
                `            ${r.l1.depositsAbsorbed} absorbed deposits credited, ${r.l1.exitsChecked} paid exits recorded; ${r.l1.creditedNotAbsorbed} credited deposits not absorbed yet`,
                `  node:     GET /batches agrees with layer 1 (${r.nodeBatchesChecked ?? 0} confirmed batches)`,
              ].join('\n')
            : [`AUDIT FAILED: instance ${inst.instance}`, ...evidence(r.divergence!), `  checked before it: ${r.audit.seq.toLocaleString('en-US')} tasks`].join('\n'),
        )
        return r.ok ? 0 : DIVERGENCE_EXIT
      }
      // No layer 1: the log alone, and the node's batches against the replay (trusting the node's claims).
      const batches = await nodeBatches(client, signal)
      const confirmed = batches.filter((b) => b.status === 'confirmed')
      const a = await auditLog({ ...common, rootsAt: confirmed.map((b) => b.lastSeq) })
      out.progressDone()
      let divergence: AuditDivergence | undefined = a.ok ? undefined : a.divergence
      const bySeq = new Map(a.roots.map((r) => [r.seq, r]))
      for (const b of confirmed) {
        if (divergence) break
        const s = bySeq.get(b.lastSeq)
        if (!s) continue
        for (const [field, expected, found] of [['root', s.root, b.root], ['head', s.head, b.logHead]] as const) {
          if (expected !== found.toLowerCase()) {
            divergence = { kind: 'COMMITMENT_MISMATCH', batch: b.number, seq: b.lastSeq, field, expected, found, message: `the node's batch ${b.number} has ${field} ${found} at seq ${b.lastSeq}; the replay has ${expected}` }
            break
          }
        }
      }
      const data = { ok: !divergence, node, instance: inst.instance, l1: null, audit: summaryOf(a), nodeBatches: confirmed.length, ...(divergence ? { divergence } : {}) }
      out.result(data, () =>
        !divergence
          ? [
              `audit passed (log only): instance ${inst.instance}`,
              `  log:      ${a.seq.toLocaleString('en-US')} tasks, head ${a.head}`,
              `            ${a.signaturesChecked.toLocaleString('en-US')} signatures checked, ${a.tasksPerSecond.toLocaleString('en-US')} tasks/s`,
              `  state:    root ${a.root}`,
              `  batches:  ${confirmed.length} confirmed batches as the node reports them match the replay`,
              '  layer 1 was not read: pass --l1 URL to check the commitments on the chain itself',
            ].join('\n')
          : [`AUDIT FAILED: instance ${inst.instance}`, ...evidence(divergence), `  checked before it: ${a.seq.toLocaleString('en-US')} tasks`].join('\n'),
      )
      return divergence ? DIVERGENCE_EXIT : 0
    } catch (e) {
      if (e instanceof AuditInterruptedError) {
        const resume = file ? `rerun with --resume ${values.resume as string} to continue` : 'rerun with --resume FILE to keep the progress'
        // A page past a reading bound keeps the bound's code (exit 1 all the same).
        const bound = nodeReadError(e.cause, node, { message: e.message, then: resume })
        if (bound !== e.cause) throw bound
        throw new CliError('AUDIT_INTERRUPTED', e.message, resume)
      }
      throw nodeReadError(e, node)
    } finally {
      out.progressDone()
      file?.close()
      await verifier.close()
    }
  },
}
