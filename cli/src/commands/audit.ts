import {
  ApiError,
  AuditInterruptedError,
  auditLog,
  checkCommitments,
  createLagoonClient,
  getLogPage,
  LagoonError,
  type BaseClient,
  type AuditDivergence,
  type AuditResult,
  type Blake2b256,
  type FetchLogPage,
} from '@lagoon/sdk'
import { auditWithL1, blockfrostReader, type NodeBatch } from '@lagoon/sdk/audit-l1'
import { createWorkerBatchVerifier, LogFile } from '@lagoon/sdk/node'
import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'
import { conservationLines, evidenceLines, layer1Lines } from '../options/auditReport.js'
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

function summaryOf(a: AuditResult) {
  return { tasks: a.tasks, byKind: a.byKind, signaturesChecked: a.signaturesChecked, seq: a.seq, head: a.head, root: a.root, elapsedMs: a.elapsedMs, tasksPerSecond: a.tasksPerSecond }
}

/** Opens the `--resume` file; a damaged or foreign file is the local copy's problem, said so with what to do. */
function openResumeFile(path: string, instance: string, hash: Blake2b256): LogFile {
  try {
    return LogFile.open(path, instance, { hash })
  } catch (e) {
    if (e instanceof LagoonError && (e.code === 'CORRUPT_LOG_FILE' || e.code === 'BAD_PROGRESS_FILE')) {
      throw new CliError(e.code, e.message, `delete ${path} (or pass another --resume FILE) and rerun: the log is downloaded again`)
    }
    throw e
  }
}

/**
 * `lagoon audit`: downloads a node's task log (resumable with `--resume FILE`), checks the hash chain and
 * every signature, replays it with the protocol core and compares every commitment read from layer 1
 * (`--l1`) with the replay, checks every deposit credit and every recorded exit payment on layer 1, and
 * states conservation. Every read of the node is bounded in size and time (`--timeout`). Exit 0: all
 * checks out; 3: a divergence (printed with its evidence); 1: the audit could not run (the node or
 * layer 1 unreachable, an answer of the node past a bound: `RESPONSE_TOO_LARGE`, `BODY_TIMEOUT`; a
 * damaged `--resume` file: `CORRUPT_LOG_FILE`).
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
absorbed deposits) and every exit paid on layer 1 with the replay; checks every deposit the log credits
and every exit it records as paid on layer 1 itself; and states conservation (layer 1 holds what
layer 2 owes). Prints a summary, or the first divergence with its evidence (batch, task seq, expected
vs found). A batch the node calls confirmed beyond the log it serves is a divergence.

options:
  --node URL            the node (env LAGOON_NODE, default http://127.0.0.1:8080)
  --l1 URL              a Blockfrost-compatible API (env LAGOON_L1_URL): the commitments are read from
                        the chain, never from the operator. Without it only the log is checked, and the
                        node's own GET /batches is compared with the replay (that trusts the node).
  --l1-project-id ID    Blockfrost project id (env LAGOON_L1_PROJECT_ID)
  --resume FILE         keep the downloaded log in FILE; a later run re-checks it and downloads only the rest
                        (a damaged FILE is reported as such, CORRUPT_LOG_FILE: delete it and rerun)
  --instance HEX        pin the instance (policy id): refuse a node that serves another one
  --operator HEX --terms HEX [--seed TX#I --network N]
                        the instance's settings, when the node does not publish GET /instance
  --workers N           signature-checking threads (default: the cores)
  --timeout D           the deadline of each read from the node, headers and whole body (default 30s)
  --json                one JSON document: { ok, audit, l1, events?, conservation?, divergence? }

Every answer of the node is bounded: a log page by what an honest page can hold, other bodies by
16 MiB, each within --timeout; past a bound the read stops (RESPONSE_TOO_LARGE, BODY_TIMEOUT).

exit codes: 0 every check passed, 3 a divergence was found, 1 the audit could not run (the node or
layer 1 unreachable, an answer of the node past a bound, a damaged --resume file), 2 usage.`,
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
    const file = values.resume ? openResumeFile(values.resume as string, inst.instance, inst.ctx.hash) : undefined
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
        const data = {
          ok: r.ok,
          node,
          instance: inst.instance,
          l1: { url: l1Url, ...r.l1 },
          events: { creditsChecked: r.events.creditsChecked, exitsPaidChecked: r.events.exitsPaidChecked },
          conservation: r.conservation,
          audit: summaryOf(r.audit),
          nodeBatchesChecked: r.nodeBatchesChecked,
          ...(r.divergence ? { divergence: r.divergence } : {}),
        }
        out.result(data, () =>
          r.ok
            ? [
                `audit passed: instance ${inst.instance}`,
                `  log:      ${r.audit.seq.toLocaleString('en-US')} tasks, head ${r.audit.head}`,
                `            ${r.audit.signaturesChecked.toLocaleString('en-US')} signatures checked, ${r.audit.tasksPerSecond.toLocaleString('en-US')} tasks/s`,
                `  state:    root ${r.audit.root}`,
                ...layer1Lines(r),
                ...conservationLines(r.conservation),
                `  node:     GET /batches agrees with layer 1 (${r.nodeBatchesChecked ?? 0} confirmed batches)`,
              ].join('\n')
            : [`AUDIT FAILED: instance ${inst.instance}`, ...evidenceLines(r.divergence!), `  checked before it: ${r.audit.seq.toLocaleString('en-US')} tasks`, ...conservationLines(r.conservation)].join('\n'),
        )
        return r.ok ? 0 : DIVERGENCE_EXIT
      }
      // No layer 1: the log alone, and the node's batches against the replay (trusting the node's claims).
      const batches = await nodeBatches(client, signal)
      const confirmed = batches.filter((b) => b.status === 'confirmed')
      const a = await auditLog({ ...common, rootsAt: confirmed.map((b) => b.lastSeq) })
      out.progressDone()
      // Every batch the node calls confirmed must be reached by the log it served (or the resumed one).
      let divergence: AuditDivergence | undefined = a.ok ? undefined : a.divergence
      if (!divergence) {
        const c = checkCommitments(a, confirmed.map((b) => ({ batch: b.number, seq: b.lastSeq, head: b.logHead, root: b.root })))
        if (!c.ok) divergence = c.divergence
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
          : [`AUDIT FAILED: instance ${inst.instance}`, ...evidenceLines(divergence), `  checked before it: ${a.seq.toLocaleString('en-US')} tasks`].join('\n'),
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
