/**
 * `npm start`: the whole Lagoon system on one machine (see docs/demo.md).
 *
 *   npm start [-- --port 8080] [--l1-port 8081] [--host 127.0.0.1] [--wallets 3] [--block-ms 1000]
 *             [--confirmations 5] [--batch-ms 10000] [--db FILE] [--no-web]
 *
 * Ctrl-C (SIGINT) or SIGTERM stops everything and exits 0.
 */
import { parseArgs } from 'node:util'
import { LagoonError } from '../../sdk/src/errors/LagoonError.js'
import { startLagoon, type LagoonDemo, type StartLagoonOptions } from './startLagoon.js'
import { StartError } from './StartError.js'

const USAGE = `usage: npm start [-- options]
  --port N            node API + web page (default 8080, the next free one when busy; 0: any)
  --l1-port N         the devnet's Blockfrost-compatible API (default port + 1)
  --host H            interface to listen on (default 127.0.0.1)
  --wallets N         funded demo wallets: alice, bob, carol, … (default 3, 10,000 ADA each)
  --block-ms N        ms between devnet blocks (default 1000)
  --confirmations N   confirmations before a deposit is credited (default 5)
  --batch-ms N        commit a batch at least this often when there is new work (default 10000)
  --db FILE           the node's SQLite file (default: a temporary file, removed at exit)
  --no-web            do not build or serve the web page`

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined
  if (!/^[0-9]+$/.test(v) || Number(v) < min || Number(v) > max) throw new StartError('BAD_OPTION', `--${name} must be an integer from ${min} to ${max}; got "${v}"`)
  return Number(v)
}

function parse(argv: string[]): StartLagoonOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'l1-port': { type: 'string' },
      host: { type: 'string' },
      wallets: { type: 'string' },
      'block-ms': { type: 'string' },
      confirmations: { type: 'string' },
      'batch-ms': { type: 'string' },
      db: { type: 'string' },
      'no-web': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) return null
  const o: Record<string, unknown> = {
    port: int('port', values.port, 0, 65535),
    l1Port: int('l1-port', values['l1-port'], 0, 65535),
    host: values.host,
    demoWallets: int('wallets', values.wallets, 1, 50),
    blockMs: int('block-ms', values['block-ms'], 50, 60_000),
    confirmations: int('confirmations', values.confirmations, 1, 100),
    batchIntervalMs: int('batch-ms', values['batch-ms'], 100, 3_600_000),
    dbPath: values.db,
    web: !values['no-web'],
  }
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o as StartLagoonOptions
}

function banner(l: LagoonDemo, blockMs: number, confirmations: number): string {
  const pad = (s: string, n: number) => s.padEnd(n)
  const wallets = l.demoWallets.map((w) => `    ${pad(w.name, 7)} ${w.address}\n            key ${w.privateKey}\n            account ${w.account}`).join('\n')
  return `
  Lagoon is running: a strict devnet, the sequencer and the web page.

    Web page      ${l.web.served ? `${l.webUrl}/` : `(not served: ${l.web.reason})`}
    Node API      ${l.nodeUrl}   (OpenAPI: ${l.nodeUrl}/openapi.json; open: no token needed to submit)
    Layer 1       ${l.l1Url}   (Blockfrost-compatible; any project id; network "Custom")
    Instance      ${l.instance}
    Blocks        every ${blockMs} ms; deposits are credited after ${confirmations} confirmations
    Admin token   ${l.adminToken}

  Demo wallets (10,000 ADA each on the devnet; the keys are throwaway devnet keys):
${wallets}

  From another terminal:
    export LAGOON_NODE=${l.nodeUrl} LAGOON_L1_URL=${l.l1Url}
    npm run lagoon -- --help                      # the CLI: --node ${l.nodeUrl} --l1 ${l.l1Url}
    npm run demo:load -- --rate 500 --duration 30  # load for the explorer's chart

  Ctrl-C stops everything.
`
}

async function main(): Promise<number> {
  let opts: StartLagoonOptions | null
  try {
    opts = parse(process.argv.slice(2))
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`)
    return 2
  }
  if (!opts) {
    console.log(USAGE)
    return 0
  }
  const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`)
  let lagoon: LagoonDemo
  try {
    lagoon = await startLagoon({ ...opts, log })
  } catch (e) {
    if (e instanceof LagoonError) console.error(`npm start: ${e.code}: ${e.message}`)
    else console.error('npm start failed:', e)
    return 1
  }
  console.log(banner(lagoon, opts.blockMs ?? 1000, opts.confirmations ?? 5))
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping …`)
    // A stop that hangs must not leave the process behind.
    setTimeout(() => {
      console.error('npm start: the stop took more than 10 s; exiting anyway')
      process.exit(1)
    }, 10_000).unref()
    lagoon.stop().then(
      () => {
        log('stopped')
        process.exit(0)
      },
      (e: unknown) => {
        console.error('npm start: stop failed:', e)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  return -1
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (e: unknown) => {
    console.error(e)
    process.exitCode = 1
  },
)
