import { createLagoonClient } from '@lagoon/sdk'
import { blockfrostReader } from '@lagoon/sdk/audit-l1'
import { lagoonScripts } from '@lagoon/sdk/l1'
import { startRelay } from '@lagoon/relay'
import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'
import type { Output } from '../Output.js'
import { timeoutOption } from '../options/duration.js'
import { nodeReadError } from '../options/nodeReadError.js'

function jsonLine(out: Output, level: string, msg: string, fields: Record<string, unknown> = {}): void {
  out.line(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
}

/**
 * `lagoon relay`: follows a node's task log into its own SQLite file, checks every batch, and serves the
 * read API until Ctrl-C. JSON log lines on stdout.
 *
 * @example
 * // lagoon relay --from https://node.example --db relay.db --port 8090
 */
export const relayCommand: Command = {
  name: 'relay',
  summary: "follow a node's log, check every batch, serve the read API",
  usage: `usage: lagoon relay --from URL [--db FILE] [--host H] [--port N] [--token T] [--l1 URL [--l1-project-id ID]]

Follows the node's task log (pages to catch up, then GET /log/stream live), checks every entry like the
auditor (hash chain, signatures, the protocol core), keeps the log and the state in its own SQLite file,
and checks every batch's root and log head as it lands. It serves the node's read API (accounts,
records, proofs at a checked batch, receipts, log, batches, state, instance, health), so wallets and
apps can read from it: createLagoonClient({ url: 'http://HOST:PORT' }). A restart resumes from the file.
A divergence stops the following; /health then answers 503 with the evidence. Ctrl-C stops it cleanly.
Every answer of the node is bounded (a log page by what an honest page can hold, other bodies by
16 MiB, a stream event by 1 Mi characters, each read within --timeout): past a bound the read stops,
the relay logs the code (RESPONSE_TOO_LARGE, BODY_TIMEOUT, SSE_FRAME_TOO_LARGE) and tries again
later, serving what it checked; at start it exits 1 with that code.

options:
  --from URL            the node to follow (env LAGOON_NODE)
  --db FILE             the relay's SQLite file (env LAGOON_RELAY_DB, default lagoon-relay.db)
  --host H              listen address (default 127.0.0.1)
  --port N              listen port (default 8090; 0 picks a free one)
  --token T             a relay-scope token for the node's live stream (env LAGOON_TOKEN)
  --l1 URL              also check the node's batches against the commitments on layer 1 (env LAGOON_L1_URL)
  --l1-project-id ID    Blockfrost project id (env LAGOON_L1_PROJECT_ID)
  --instance HEX --operator HEX --terms HEX
                        the instance's parameters, for a node without layer 1 (no GET /instance)
  --timeout D           the deadline of each read from the node, headers and whole body (default 30s)
  --json                (logs are always JSON lines)

exit codes: 0 stopped (Ctrl-C), 3 stopped after a divergence, 1 could not start (the node unreachable
or an answer of it past a bound, the file follows another node), 2 usage.`,
  options: {
    from: { type: 'string' },
    db: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    token: { type: 'string' },
    l1: { type: 'string' },
    'l1-project-id': { type: 'string' },
    instance: { type: 'string' },
    operator: { type: 'string' },
    terms: { type: 'string' },
    timeout: { type: 'string' },
  },
  async run({ values, out, env, signal }) {
    const from = (values.from as string | undefined) ?? env.LAGOON_NODE
    if (!from) throw new CliError('USAGE', '--from is required', 'pass the node to follow, e.g. --from http://127.0.0.1:8080')
    const port = values.port === undefined ? 8090 : Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('USAGE', `--port must be 0..65535, got ${String(values.port)}`, 'e.g. --port 8090')
    const db = (values.db as string | undefined) ?? env.LAGOON_RELAY_DB ?? 'lagoon-relay.db'
    const token = (values.token as string | undefined) ?? env.LAGOON_TOKEN
    const l1Url = (values.l1 as string | undefined) ?? env.LAGOON_L1_URL
    const projectId = (values['l1-project-id'] as string | undefined) ?? env.LAGOON_L1_PROJECT_ID
    const timeoutMs = timeoutOption(values.timeout)
    let l1: Parameters<typeof startRelay>[0]['l1']
    if (l1Url) {
      const node = createLagoonClient({ url: from, timeoutMs })
      let info: { seed?: string; network?: string; instance?: string } | undefined
      try {
        info = await node.request<typeof info>({ method: 'GET', path: '/instance', signal })
      } catch (e) {
        const bound = nodeReadError(e, node.url)
        if (bound !== e) throw bound
        info = undefined
      }
      const m = info?.seed ? /^([0-9a-f]{64})#(\d+)$/i.exec(info.seed) : null
      if (!info || !m || !info.network) throw new CliError('NO_INSTANCE', 'checking layer 1 needs the instance seed and network, and the node does not publish them', 'drop --l1, or follow a node with layer 1')
      const scripts = lagoonScripts({ txHash: m[1]!.toLowerCase(), outputIndex: Number(m[2]) }, info.network as 'Custom')
      if (scripts.policyId !== info.instance) throw new CliError('INSTANCE_MISMATCH', `the node's seed mints ${scripts.policyId}, not its instance ${info.instance}`, 'the node publishes inconsistent settings')
      l1 = { reader: blockfrostReader({ url: l1Url, ...(projectId ? { projectId } : {}) }), instance: scripts }
    }
    const { instance, operator, terms } = values as Record<string, string | undefined>
    const params = instance && operator && terms ? { instance, operator, terms } : undefined
    const running = await startRelay({
      from,
      ...(params ? { params } : {}),
      db,
      host: (values.host as string | undefined) ?? '127.0.0.1',
      port,
      timeoutMs,
      ...(token ? { token } : {}),
      ...(l1 ? { l1 } : {}),
      log: (level, msg, fields) => jsonLine(out, level, msg, fields),
    }).catch((e: unknown) => {
      throw nodeReadError(e, from)
    })
    jsonLine(out, 'info', 'relay listening', { url: running.url, from: running.relay.source, db, seq: running.relay.status().seq, l1: l1Url ?? null })
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
    })
    jsonLine(out, 'info', 'stopping', { reason: String((signal.reason as Error)?.message ?? 'abort') })
    const last = running.relay.status()
    await running.stop()
    jsonLine(out, 'info', 'stopped', { seq: last.seq, checkedBatch: last.checkedBatch })
    return last.status === 'diverged' ? 3 : 0
  },
}
