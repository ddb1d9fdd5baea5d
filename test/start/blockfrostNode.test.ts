import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Blockfrost, CML, Lucid, SLOT_CONFIG_NETWORK, getAddressDetails, type EmulatorAccount, type LucidEvolution, type UTxO } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, serveBlockfrost, type BlockfrostServer } from '@lagoon/devnet'
import { createLagoonClient, privateKeyWallet, generateL2Signer } from '../../sdk/src/index.js'
import { anchorDatumFromData, buildDepositTx, buildInitTx, depositsHash } from '../../sdk/src/l1/index.js'
import { BlockfrostChain } from '../../sequencer/src/l1/L1Chain.js'
import type { NodeConfig } from '../../sequencer/src/node/NodeConfig.js'
import { openNode, type LagoonNode } from '../../sequencer/src/node/openNode.js'
import { startServer, type RunningServer } from '../../sequencer/src/node/startServer.js'
import { BlockProducer } from '../../scripts/start/BlockProducer.js'

const ADA = 1_000_000n
const TERMS = '22'.repeat(32)
const dir = mkdtempSync(join(tmpdir(), 'lagoon-bf-node-'))
let api: BlockfrostServer | undefined
let running: RunningServer | undefined

afterAll(async () => {
  await running?.stop()
  await api?.close()
  rmSync(dir, { recursive: true, force: true })
})

const addressHex = (bech32: string) => CML.Address.from_bech32(bech32).to_hex()
const keyHash = (a: EmulatorAccount) => getAddressDetails(a.address).paymentCredential!.hash

describe("BlockfrostChain against the devnet's Blockfrost API (as with a Yaci DevKit)", () => {
  it('a node with l1.backend = blockfrost credits a deposit and posts a commitment', async () => {
    const [operator, alice, bob] = createTestAccounts(3, { lovelace: 100_000_000_000n }) as [EmulatorAccount, EmulatorAccount, EmulatorAccount]
    const devnet = createDevnet({ accounts: [operator, alice, bob], genesisTime: Math.floor(Date.now() / 1000) * 1000 })
    const blocks = new BlockProducer(devnet)
    api = await serveBlockfrost(devnet, { port: 0 })

    // The instance is minted through the API, as on any Blockfrost-backed chain.
    const genesis = (await (await fetch(`${api.url}/genesis`)).json()) as { system_start: number }
    SLOT_CONFIG_NETWORK.Custom = { zeroTime: genesis.system_start * 1000, zeroSlot: 0, slotLength: 1000 }
    const lucid: LucidEvolution = await Lucid(new Blockfrost(api.url, 'devnet'), 'Custom')
    lucid.selectWallet.fromPrivateKey(operator.privateKey)
    const [seed] = (await lucid.wallet().getUtxos()) as [UTxO]
    const { scripts, tx } = buildInitTx(lucid, { seed, operator: keyHash(operator), exodusTimeout: 86_400_000n, now: Date.now() })
    await (await (await tx.complete()).sign.withWallet().complete()).submit()
    blocks.produce()

    const config: NodeConfig = {
      db: join(dir, 'node.db'),
      host: '127.0.0.1',
      port: 0,
      open: true,
      durability: 'normal',
      verifyWorkers: 0,
      maxGroup: 4096,
      maxQueue: 100_000,
      instance: scripts.policyId,
      operator: keyHash(operator),
      terms: TERMS,
      l1: { backend: 'blockfrost', url: api.url, projectId: 'devnet', network: 'Custom', seed: `${seed.txHash}#${seed.outputIndex}`, operatorKey: operator.privateKey, confirmations: 2, pollMs: 100, batchIntervalMs: 1e12 },
    }
    const node: LagoonNode = await openNode(config, { startL1: false, out: (level, msg, f) => level === 'error' && console.error(msg, f) })
    expect(node.l1!.chain).toBeInstanceOf(BlockfrostChain)
    running = await startServer(node, '127.0.0.1', 0)
    const client = createLagoonClient({ url: running.url, instance: scripts.policyId, terms: TERMS })

    // Alice registers (CIP-8 with her wallet key) and deposits 50 ADA through the API.
    const aliceL2 = generateL2Signer(keyHash(alice))
    await client.register({ wallet: privateKeyWallet(alice.privateKey), address: addressHex(alice.address), l2Key: aliceL2.signer.publicKey })
    await client.register({ wallet: privateKeyWallet(bob.privateKey), address: addressHex(bob.address), l2Key: generateL2Signer(keyHash(bob)).signer.publicKey })
    lucid.selectWallet.fromPrivateKey(alice.privateKey)
    const dep = buildDepositTx(lucid, scripts, { owner: keyHash(alice), refundAfter: BigInt(Date.now() + 3 * 3_600_000) }, 50n * ADA)
    const depTx = await (await (await dep.complete()).sign.withWallet().complete()).submit()
    expect(await node.l1!.chain.confirmations(depTx)).toBe(0) // in the mempool (GET /mempool/{hash})

    // Seen at 1 confirmation, credited at k = 2.
    blocks.produce()
    await node.l1!.tick()
    expect((await client.getAccount({ account: keyHash(alice) })).balance).toBe(0n)
    blocks.produce()
    await node.l1!.tick()
    expect((await client.getAccount({ account: keyHash(alice) })).balance).toBe(50n * ADA)

    await client.transfer({ signer: aliceL2.signer, to: keyHash(bob), amount: 8n * ADA })

    // A commitment through the API: submitted (0 confirmations: waits), then confirmed.
    node.l1!.poster.forceBatch()
    await node.l1!.tick()
    const submitted = node.l1!.poster.batch(1)!
    expect(submitted.status).toBe('submitted')
    await node.l1!.tick() // still in the mempool: not resubmitted
    expect(node.l1!.poster.batch(1)!.l1Tx).toBe(submitted.l1Tx)
    blocks.produce()
    await node.l1!.tick()
    expect(node.l1!.poster.batch(1)!.status).toBe('confirmed')

    const state = await client.getState()
    const [anchor] = (await new Blockfrost(api.url, 'devnet').getUtxosWithUnit(scripts.anchorAddress, scripts.unit)) as [UTxO]
    const datum = anchorDatumFromData(anchor.datum!)
    expect(datum).toMatchObject({ batch: 1n, root: state.root, logHead: state.logHead, logSeq: BigInt(state.seq) })
    expect(datum.depositsHash).toBe(depositsHash([{ txHash: depTx, outputIndex: 0, owner: keyHash(alice), amount: 50n * ADA }]))
    expect(anchor.assets.lovelace).toBe(2n * ADA + 50n * ADA) // the deposit was absorbed into the anchor
    expect((await client.getAccount({ account: keyHash(bob) })).balance).toBe(8n * ADA)
  })
})
