import { spawn } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { Blockfrost, Lucid, SLOT_CONFIG_NETWORK } from '@lucid-evolution/lucid'
import { fundAccounts } from '../../scripts/start/load/fundAccounts.js'
import { startLagoon, type LagoonDemo } from '../../scripts/start/startLagoon.js'

const ROOT = new URL('../..', import.meta.url).pathname
let lagoon: LagoonDemo | undefined

afterAll(async () => {
  await lagoon?.stop()
})

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo-load.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const limit = setTimeout(() => child.kill('SIGKILL'), 150_000)
    child.once('exit', (code) => {
      clearTimeout(limit)
      resolve({ code, out })
    })
  })
}

describe('npm run demo:load against startLagoon', () => {
  it('funds accounts through real deposits, then drives transfers and reports tx/s every second', async () => {
    lagoon = await startLagoon({ port: 0, web: false, blockMs: 300, confirmations: 2, log: () => {} })
    const before = (await (await fetch(`${lagoon.nodeUrl}/state`)).json()) as { seq: number }
    const { code, out } = await run(['--node', lagoon.nodeUrl, '--rate', '100', '--duration', '3', '--accounts', '5', '--deposit', '20'])
    expect(code, out).toBe(0)
    expect(out).toContain('registered 5 layer-2 accounts')
    expect(out).toMatch(/deposit tx [0-9a-f]{64} from alice: 2 × 20 ADA/)
    expect(out).toMatch(/waiting for the credits: 5\/5 credited/)
    const perSecond = out.split('\n').filter((l) => /\d+ s\s+\d+ tx\/s\s+p50\s+\d+ ms\s+p99\s+\d+ ms/.test(l))
    expect(perSecond.length).toBeGreaterThanOrEqual(2)
    const done = /done: (\d+) transfers applied, (\d+) rejected/.exec(out)
    expect(done, out).not.toBeNull()
    const applied = Number(done![1])
    expect(applied).toBeGreaterThan(100) // ~300 scheduled; a loaded machine may lag, not lose them
    expect(Number(done![2])).toBe(0)

    // The node applied them all: 5 registrations + 5 deposit credits + the transfers.
    const after = (await (await fetch(`${lagoon.nodeUrl}/state`)).json()) as { seq: number; accounts: number }
    expect(after.seq - before.seq).toBe(5 + 5 + applied)
    // The deposits are real layer-1 outputs at the deposit address (until a batch absorbs them).
    const inst = (await (await fetch(`${lagoon.nodeUrl}/instance`)).json()) as { depositAddress: string; anchorAddress: string }
    const anchors = (await (await fetch(`${lagoon.l1Url}/addresses/${inst.anchorAddress}/utxos`)).json()) as { amount: { quantity: string }[] }[]
    const deposits = (await (await fetch(`${lagoon.l1Url}/addresses/${inst.depositAddress}/utxos`)).json()) as { amount: { quantity: string }[] }[]
    const locked = [...anchors, ...deposits].reduce((s, u) => s + BigInt(u.amount[0]!.quantity), 0n)
    expect(locked).toBe(2_000_000n + 5n * 20_000_000n)
  })

  it('a demo wallet busy with its own tx in the mempool: the deposit is retried after the next block', async () => {
    const l = lagoon!
    const demo = (await (await fetch(`${l.nodeUrl}/demo/config`)).json()) as { slotConfig: { zeroTime: number; zeroSlot: number; slotLength: number } }
    SLOT_CONFIG_NETWORK.Custom = demo.slotConfig
    l.blocks.stop()
    l.blocks.produce() // everything before is confirmed
    const lucid = await Lucid(new Blockfrost(l.l1Url, 'devnet'), 'Custom')
    lucid.selectWallet.fromPrivateKey(l.demoWallets[0]!.privateKey)
    const own = await (await (await lucid.newTx().pay.ToAddress(l.demoWallets[1]!.address, { lovelace: 3_000_000n }).complete()).sign.withWallet().complete()).submit()
    const lines: string[] = []
    let retried!: () => void
    const sawRetry = new Promise<void>((r) => (retried = r))
    const funding = fundAccounts({
      nodeUrl: l.nodeUrl,
      count: 2,
      depositLovelace: 10_000_000n,
      log: (line) => {
        lines.push(line)
        if (line.includes('retrying after the next block')) retried()
      },
    })
    await Promise.race([sawRetry, funding])
    expect(lines.join('\n')).toContain('deposit from alice: its wallet has a tx in the mempool; retrying after the next block')
    l.blocks.start()
    const { accounts } = await funding
    expect(accounts).toHaveLength(2)
    expect((await (await fetch(`${l.l1Url}/txs/${own}`)).json()).hash).toBe(own)
  })

  it('says clearly when the node is not a demo', async () => {
    const { code, out } = await run(['--node', 'http://127.0.0.1:9', '--duration', '1'])
    expect(code).toBe(1)
    expect(out).toMatch(/NODE_UNREACHABLE: .*npm start/)
  })
})
