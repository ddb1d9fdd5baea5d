import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveBlockfrost, type BlockfrostServer } from '@lagoon/devnet'
import { findScriptRefs, refsAddress } from '@lagoon/sdk/l1'
import { devnetInstance, type DevnetInstance } from '../../sdk/test/support/devnetInstance.js'
import { user } from '../../sdk/test/support/world.js'
import { run } from './cliSupport.js'

const dir = mkdtempSync(join(tmpdir(), 'lagoon-cli-refs-'))
let w: DevnetInstance
let api: BlockfrostServer

beforeAll(async () => {
  w = await devnetInstance([user(1)])
  api = await serveBlockfrost(w.devnet, { port: 0 })
}, 60_000)

afterAll(async () => {
  await api?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A node configuration of the world's instance on the devnet's Blockfrost-compatible API. */
function configFile(name: string, l1: Record<string, unknown> | undefined): string {
  const file = join(dir, name)
  const seed = `${w.scripts.seed.txHash}#${w.scripts.seed.outputIndex}`
  const base = { db: join(dir, `${name}.db`), instance: w.scripts.policyId, operator: '22'.repeat(28), terms: '33'.repeat(32) }
  writeFileSync(file, JSON.stringify(l1 ? { ...base, l1: { backend: 'blockfrost', url: api.url, projectId: 'devnet', network: 'Custom', seed, operatorKey: w.operator.privateKey, pollMs: 50, ...l1 } } : base))
  return file
}

/** Runs `lagoon` while the devnet produces a block every 50 ms. */
async function withBlocks(argv: string[]) {
  const blocks = setInterval(() => w.devnet.awaitBlock(1), 50)
  try {
    return await run(argv)
  } finally {
    clearInterval(blocks)
  }
}

describe('lagoon sequencer deploy-refs', () => {
  it('deploys the reference scripts once from the operator key, then finds them and does nothing', async () => {
    const at = refsAddress('Custom', w.scripts)
    expect(findScriptRefs(await w.devnet.getUtxos(at), w.scripts)).toEqual({})
    const file = configFile('node.json', {})
    const first = await withBlocks(['sequencer', 'deploy-refs', '--config', file, '--json'])
    expect(first.stderr).toMatch(/submitted [0-9a-f]{64}; waiting for it in a block/)
    expect(first.code).toBe(0)
    const r = JSON.parse(first.stdout) as { deployed: boolean; txHash: string; refsAddress: string; anchorRef: string; depositRef: string; instance: string }
    expect(r).toMatchObject({ deployed: true, refsAddress: at, instance: w.scripts.policyId })
    const found = findScriptRefs(await w.devnet.getUtxos(at), w.scripts)
    expect(r.anchorRef).toBe(`${found.anchor!.txHash}#${found.anchor!.outputIndex}`)
    expect(r.depositRef).toBe(`${found.deposit!.txHash}#${found.deposit!.outputIndex}`)
    expect(found.anchor!.txHash).toBe(r.txHash)

    const again = await withBlocks(['sequencer', 'deploy-refs', '--config', file])
    expect(again.code).toBe(0)
    expect(again.stdout).toBe(`already deployed at ${at}: anchor ${r.anchorRef}, deposit ${r.depositRef}\n`)
    expect((await w.devnet.getUtxos(at)).length).toBe(2) // nothing deployed twice
  })

  it('says what to do without a blockfrost layer 1', async () => {
    const none = await run(['sequencer', 'deploy-refs', '--config', configFile('bare.json', undefined)])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/error: the configuration has no l1 section\n\s+add "l1"/)
    const devnet = join(dir, 'devnet.json')
    writeFileSync(devnet, JSON.stringify({ db: join(dir, 'd.db'), instance: w.scripts.policyId, operator: '22'.repeat(28), terms: '33'.repeat(32), l1: { backend: 'devnet' } }))
    const embedded = await run(['sequencer', 'deploy-refs', '--config', devnet])
    expect(embedded.code).toBe(2)
    expect(embedded.stderr).toMatch(/deploys its reference scripts itself/)
    const help = await run(['sequencer', '--help'])
    expect(help.stdout).toMatch(/lagoon sequencer deploy-refs \[--config FILE\] \[--no-wait\] \[--json\]/)
  })
})
