import { SCOPES } from '@lagoon/sequencer/auth/TokenStore'
import { limitHeapGrowth } from '@lagoon/sequencer/node/limitHeapGrowth'
import { loadConfig } from '@lagoon/sequencer/node/NodeConfig'
import { openNode } from '@lagoon/sequencer/node/openNode'
import { startServer } from '@lagoon/sequencer/node/startServer'
import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'
import type { Output } from '../Output.js'
import { deployRefs } from './deployRefs.js'

function jsonLine(out: Output, level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  out.line(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }))
}

/**
 * `lagoon sequencer start`: runs the operator's node (config file + `LAGOON_*` environment) until Ctrl-C,
 * logging JSON lines.
 *
 * @example
 * // lagoon sequencer start --config lagoon.json
 */
export const sequencerCommand: Command = {
  name: 'sequencer',
  summary: "run the operator's node: lagoon sequencer start|deploy-refs [--config FILE]",
  usage: `usage: lagoon sequencer start [--config FILE]
       lagoon sequencer deploy-refs [--config FILE] [--no-wait] [--json]

Runs the sequencer: the FIFO queue, the SQLite state and task log, the HTTP API and (with config.l1)
the layer-1 follower and poster. Logs are JSON lines on stdout. Ctrl-C (SIGINT) or SIGTERM stops it
cleanly: the queue is applied, the tree snapshotted, the file closed.

deploy-refs puts the instance's reference-script UTxOs on layer 1, once, paid by the operator key of
the configuration (about 22 ADA, locked for good at an address nothing can spend). The node's commits
and exit payouts then read the scripts instead of carrying them: lower fees on every one. The
embedded devnet does this by itself; run it once for a blockfrost-backend instance. If they are
already there it says so and does nothing.

options:
  --config FILE   a JSON config file (see docs/operating.md); the environment overrides these keys:
                  LAGOON_DB, LAGOON_HOST, LAGOON_PORT, LAGOON_OPEN, LAGOON_DURABILITY,
                  LAGOON_VERIFY_WORKERS, LAGOON_VERIFY_NICE, LAGOON_INSTANCE, LAGOON_OPERATOR,
                  LAGOON_TERMS, LAGOON_L1_*
  --no-wait       deploy-refs: return once submitted (default: once the tx is in a block)
  --json          start: logs are always JSON; deploy-refs: one JSON document

token scopes: ${SCOPES.join(', ')} — see "lagoon token --help".`,
  options: { config: { type: 'string' }, 'no-wait': { type: 'boolean' } },
  async run({ values, positionals, signal, env, out }) {
    const [sub] = positionals
    if (sub !== 'start' && sub !== 'deploy-refs') {
      throw new CliError('USAGE', sub ? `unknown sub-command "sequencer ${sub}"` : 'missing sub-command', 'run "lagoon sequencer start --config FILE" (or deploy-refs)')
    }
    const config = loadConfig(values.config as string | undefined, env)
    if (sub === 'deploy-refs') return deployRefs({ values, positionals, signal, env, out }, config)
    limitHeapGrowth() // this process is the node's: a heap held near what it keeps (peak RSS −50 to −90 MB at 1M accounts)
    const node = await openNode(config)
    const server = await startServer(node)
    // runtime: cli/bin/lagoon.js says whether the built bundle or the TypeScript sources (tsx, ~100 MB more) run.
    const runtime = env.LAGOON_RUNTIME === 'bundle' ? 'bundle' : 'source'
    jsonLine(out, 'info', 'listening', { url: server.url, db: config.db, open: config.open, seq: node.sequencer.tip.seq, runtime })
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
    })
    jsonLine(out, 'info', 'stopping', { reason: String((signal.reason as Error)?.message ?? 'abort') })
    await server.stop()
    jsonLine(out, 'info', 'stopped', { seq: node.sequencer.tip.seq })
    return 0
  },
}
