/**
 * `npm run demo:load`: a configurable load of signed layer-2 transfers against a running `npm start`,
 * so the explorer's chart moves (docs/demo.md).
 *
 *   npm run demo:load -- [--rate 500] [--duration 30] [--accounts 20] [--node URL] [--l1 URL]
 *                        [--deposit 100] [--lanes 4]
 *
 * It sets up `--accounts` fresh layer-2 accounts (CIP-8 registrations, then real deposits on the devnet
 * paid by the demo wallets of `/demo/config`, waiting for the credits), then sends transfers between
 * them at `--rate` per second for `--duration` seconds, printing tx/s and latency every second.
 */
import { parseArgs } from 'node:util'
import { LagoonError } from '../sdk/src/errors/LagoonError.js'
import { fundAccounts } from './start/load/fundAccounts.js'
import { runLoad } from './start/load/runLoad.js'

const USAGE = `usage: npm run demo:load -- [options]
  --rate N        transfers per second (default 500)
  --duration S    seconds of load (default 30)
  --accounts N    layer-2 accounts to create and fund (default 20)
  --node URL      the node of \`npm start\` (default $LAGOON_NODE or http://127.0.0.1:8080)
  --l1 URL        the devnet's Blockfrost API (default: from the node's /demo/config)
  --deposit ADA   deposited into each account (default 100)
  --lanes N       parallel request pipelines (default 4)`

function num(name: string, v: string, min: number, max: number): number {
  const n = Number(v)
  if (!Number.isFinite(n) || n < min || n > max) throw new LagoonError('BAD_OPTION', `--${name} must be a number from ${min} to ${max}; got "${v}"`)
  return n
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rate: { type: 'string', default: '500' },
      duration: { type: 'string', default: '30' },
      accounts: { type: 'string', default: '20' },
      node: { type: 'string', default: process.env.LAGOON_NODE ?? 'http://127.0.0.1:8080' },
      l1: { type: 'string' },
      deposit: { type: 'string', default: '100' },
      lanes: { type: 'string', default: '4' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const rate = num('rate', values.rate, 1, 100_000)
  const durationS = num('duration', values.duration, 1, 86_400)
  const count = Math.floor(num('accounts', values.accounts, 2, 1000))
  const depositLovelace = BigInt(Math.round(num('deposit', values.deposit, 2, 1_000_000) * 1e6))
  const lanes = Math.floor(num('lanes', values.lanes, 1, 64))
  const nodeUrl = values.node.replace(/\/+$/, '')
  const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`)

  log(`demo:load → ${nodeUrl}: ${count} accounts, ${rate} tx/s for ${durationS} s`)
  const { client, accounts } = await fundAccounts({ nodeUrl, ...(values.l1 ? { l1Url: values.l1 } : {}), count, depositLovelace, log })
  log(`load: ${rate} transfers/s for ${durationS} s over ${lanes} lanes`)
  const r = await runLoad({ client, accounts, rate, durationS, lanes, log })
  const errs = Object.entries(r.errors).map(([k, v]) => `${k} ×${v}`).join(', ')
  log(`done: ${r.ok} transfers applied, ${r.rejected} rejected${errs ? ` (${errs})` : ''}; ${r.tps} tx/s on average (target ${rate}); latency p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`)
  return r.ok > 0 ? 0 : 1
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    if (e instanceof LagoonError) console.error(`demo:load: ${e.code}: ${e.message}`)
    else console.error('demo:load failed:', e)
    process.exitCode = 1
  },
)
