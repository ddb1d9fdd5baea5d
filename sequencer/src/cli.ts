/**
 * `lagoon-sequencer` — the operator's command line.
 *
 *   tsx sequencer/src/cli.ts start [--config lagoon.json]          serve the node (config file + LAGOON_* env)
 *   tsx sequencer/src/cli.ts token create --scope wallet [--label x] [--config …]
 *   tsx sequencer/src/cli.ts token revoke <id> [--config …]
 *   tsx sequencer/src/cli.ts token list [--config …]
 *
 * Token commands open the same SQLite file as the node (WAL: safe while it runs); a revocation
 * applies to the running node at once.
 *
 * @example
 * // LAGOON_DB=/var/lib/lagoon/node.db tsx sequencer/src/cli.ts token create --scope admin
 */
import { parseArgs } from 'node:util'
import { SCOPES, TokenStore, type Scope } from './auth/TokenStore.js'
import { ConfigError, loadConfig } from './node/NodeConfig.js'
import { openNode } from './node/openNode.js'
import { startServer } from './node/startServer.js'
import { openDatabase } from './storage/openDatabase.js'

const USAGE = `usage:
  lagoon-sequencer start [--config FILE]
  lagoon-sequencer token create --scope admin|relay|wallet [--label TEXT] [--config FILE]
  lagoon-sequencer token revoke ID [--config FILE]
  lagoon-sequencer token list [--config FILE]
config: a JSON file (db, host, port, open, durability, verifyWorkers, maxGroup, maxQueue, instance, operator, terms)
        overridden by LAGOON_DB, LAGOON_HOST, LAGOON_PORT, LAGOON_OPEN, LAGOON_DURABILITY, LAGOON_VERIFY_WORKERS,
        LAGOON_INSTANCE, LAGOON_OPERATOR, LAGOON_TERMS`

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
  if (level === 'error') console.error(line)
  else console.log(line)
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, scope: { type: 'string' }, label: { type: 'string' }, help: { type: 'boolean' } },
  })
  const [cmd, sub, arg] = positionals
  if (values.help || !cmd) {
    console.log(USAGE)
    return cmd ? 0 : 2
  }
  if (cmd === 'token') {
    // Only the db path is needed: don't demand the protocol parameters for token chores.
    const dbPath = process.env.LAGOON_DB ?? (values.config ? loadConfig(values.config).db : undefined)
    if (!dbPath) throw new ConfigError(['set LAGOON_DB or pass --config with a "db" path'])
    const db = openDatabase(dbPath)
    try {
      const tokens = new TokenStore(db)
      if (sub === 'create') {
        if (!values.scope || !SCOPES.includes(values.scope as Scope)) throw new ConfigError([`--scope must be one of ${SCOPES.join(', ')}`])
        const { id, token } = tokens.create(values.scope as Scope, values.label ?? null)
        console.log(JSON.stringify({ id, scope: values.scope, token, note: 'shown once; only its hash is stored' }))
        return 0
      }
      if (sub === 'revoke') {
        if (!arg) throw new ConfigError(['token revoke needs the token id'])
        const ok = tokens.revoke(arg)
        console.log(JSON.stringify({ id: arg, revoked: ok }))
        return ok ? 0 : 1
      }
      if (sub === 'list') {
        for (const t of tokens.list()) console.log(JSON.stringify(t))
        return 0
      }
    } finally {
      db.close()
    }
    console.error(USAGE)
    return 2
  }
  if (cmd === 'start') {
    const config = loadConfig(values.config)
    const node = await openNode(config)
    const server = await startServer(node)
    log('info', 'listening', { url: server.url, db: config.db, open: config.open, seq: node.sequencer.tip.seq, treeRestoredFrom: node.sequencer.state.treeRestoredFrom })
    const stop = async (signal: string) => {
      log('info', 'stopping', { signal })
      await server.stop()
      log('info', 'stopped', { seq: node.sequencer.tip.seq })
      process.exit(0)
    }
    process.once('SIGINT', () => void stop('SIGINT'))
    process.once('SIGTERM', () => void stop('SIGTERM'))
    return -1
  }
  console.error(USAGE)
  return 2
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (e: unknown) => {
    if (e instanceof ConfigError) console.error(e.message)
    else log('error', 'fatal', { error: String((e as Error)?.stack ?? e) })
    process.exitCode = 1
  },
)
