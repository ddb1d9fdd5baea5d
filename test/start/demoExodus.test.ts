import { afterAll, describe, expect, it } from 'vitest'
import { Blockfrost, Lucid, SLOT_CONFIG_NETWORK, type UTxO } from '@lucid-evolution/lucid'
import { anchorDatumFromData, buildFreezeTx, lagoonScripts } from '../../sdk/src/l1/index.js'
import { startLagoon, type LagoonDemo } from '../../scripts/start/startLagoon.js'

let lagoon: LagoonDemo | undefined
afterAll(async () => {
  await lagoon?.stop()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const json = async (url: string, init?: RequestInit) => (await (await fetch(url, init)).json()) as any

describe('POST /demo/exodus', () => {
  it('stops the commitments and moves the devnet clock past the exodus timeout: a freeze is then accepted', async () => {
    lagoon = await startLagoon({ port: 0, web: false, blockMs: 300, confirmations: 2, log: () => {} })
    const demo = await json(`${lagoon.nodeUrl}/demo/config`)
    const inst = await json(`${lagoon.nodeUrl}/instance`)
    const [h, i] = inst.seed.split('#')
    const scripts = lagoonScripts({ txHash: h, outputIndex: Number(i) }, 'Custom')
    // Another process's view: Lucid on the Blockfrost API, the slot config from /demo/config.
    SLOT_CONFIG_NETWORK.Custom = demo.slotConfig
    const lucid = await Lucid(new Blockfrost(demo.l1Url, 'devnet'), 'Custom')
    lucid.selectWallet.fromPrivateKey(demo.demoWallets[0].privateKey)
    const anchor = async () => (await lucid.config().provider!.getUtxosWithUnit(scripts.anchorAddress, scripts.unit))[0] as UTxO
    const chainNow = async () => (await json(`${demo.l1Url}/blocks/latest`)).time * 1000

    // Before: the validator refuses a freeze (the timeout has not passed).
    const early = buildFreezeTx(lucid, scripts, await anchor(), await chainNow()).tx.complete()
    await expect(early).rejects.toThrow()

    const r = await json(`${lagoon.nodeUrl}/demo/exodus`, { method: 'POST' })
    expect(r).toMatchObject({ commitmentsStopped: true })
    expect(r.chainTime).toBeGreaterThan(r.freezableAfter)
    expect(r.chainTimeSkewMs).toBeGreaterThan(86_000_000) // the default timeout is a day
    expect(await json(`${lagoon.nodeUrl}/demo/exodus`, { method: 'POST' })).toEqual(r) // idempotent
    expect((await json(`${lagoon.nodeUrl}/demo/config`)).chainTimeSkewMs).toBe(r.chainTimeSkewMs)

    // After: anyone freezes the anchor, with the chain's time; the node's follower sees it.
    const now = await chainNow()
    expect(now).toBeGreaterThan(r.freezableAfter)
    const tx = await buildFreezeTx(lucid, scripts, await anchor(), now).tx.complete()
    const txHash = await (await tx.sign.withWallet().complete()).submit()
    for (let k = 0; k < 100 && !lagoon.node.l1!.follower.frozen; k++) await sleep(100)
    expect(anchorDatumFromData((await anchor()).datum!).mode).toBe('frozen')
    expect((await json(`${demo.l1Url}/txs/${txHash}`)).hash).toBe(txHash)
    expect(lagoon.node.l1!.follower.frozen).toBe(true)
    // The devnet keeps producing blocks, ahead of the wall clock by the skew.
    const t1 = await chainNow()
    expect(t1 - Date.now()).toBeGreaterThan(r.chainTimeSkewMs - 5_000)
  })
})
