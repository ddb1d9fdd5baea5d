/**
 * The whole user journey through the SDK (`createLagoonClient` and its layer-1 actions) against a real
 * node on a socket, on the strict devnet: register, deposit, credit after k confirmations, transfer,
 * withdrawal paid by the node's batched exits, a withdrawal by the user alone (proof from a local
 * replay, checked against the root on layer 1), the refund of a deposit the operator never absorbed,
 * and exodus after the operator stops. The conservation invariant is checked after every step.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialToAddress, getAddressDetails, Lucid, SLOT_CONFIG_NETWORK, type EmulatorAccount, type LucidEvolution, type UTxO } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, type StrictEmulator } from '@lagoon/devnet'
import { fromHex, toHex } from '../../sdk/src/core/bytes.js'
import { blake2b256Reference } from '../../sdk/src/core/crypto/blake2b256.js'
import { verifyEd25519Noble } from '../../sdk/src/core/crypto/ed25519.js'
import { MemoryLedger } from '../../sdk/src/core/ledger/MemoryLedger.js'
import { DEFAULT_LIMITS } from '../../sdk/src/core/limits.js'
import { decodeTask } from '../../sdk/src/core/task/decodeTask.js'
import { checkConservation } from '../../sdk/src/conservation/checkConservation.js'
import { createLagoonClient, l2Signer, privateKeyWallet, type InstanceInfo, type L2Signer, type LagoonClient, type LogEntryBytes, type StreamEvent } from '../../sdk/src/index.js'
import { rememberInstance } from '../../sdk/src/client/layer1.js'
import { anchorDatumFromData, buildInitTx, type LagoonScripts } from '../../sdk/src/l1/index.js'
import { OPERATOR, TERMS, user, type User } from '../../sdk/test/support/world.js'
import { DevnetChain } from '../../sequencer/src/l1/L1Chain.js'
import { openNode, type LagoonNode } from '../../sequencer/src/node/openNode.js'
import { startServer, type RunningServer } from '../../sequencer/src/node/startServer.js'
import { testConfig } from '../../sequencer/test/support/harness.js'

const ADA = 1_000_000n
const K = 5
const EXODUS_TIMEOUT_MS = 86_400_000
const quiet = process.env.LAGOON_TEST_LOG ? (level: string, msg: string, fields?: unknown) => console.log(level, msg, JSON.stringify(fields ?? {}).slice(0, 300)) : () => {}

/** A user with a Lucid of their own (their wallet pays and signs) and a layer-2 signer. */
interface Person {
  readonly u: User
  readonly lucid: LucidEvolution
  readonly signer: L2Signer
  readonly address: string
}

describe('the user journey through the SDK, against a running node on the strict devnet', () => {
  let devnet: StrictEmulator
  let scripts: LagoonScripts
  let info: InstanceInfo
  let node: LagoonNode
  let running: RunningServer
  let chain: DevnetChain
  let client: LagoonClient
  let alice: Person, bob: Person, carol: Person
  let dir: string
  let carolDeposit: { txHash: string; outputIndex: number }
  let savedLog: LogEntryBytes[] = []
  let nodeStopped = false
  const events: StreamEvent[] = []
  const watching = new AbortController()

  const resetSlots = () => {
    SLOT_CONFIG_NETWORK.Custom = { zeroTime: devnet.genesisTime, zeroSlot: 0, slotLength: 1000 }
  }
  const tick = () => node.l1!.tick()
  const block = (n = 1) => devnet.awaitBlock(n)
  const anchor = async (): Promise<UTxO> => (await devnet.getUtxos(scripts.anchorAddress)).find((x) => x.assets[scripts.unit] === 1n)!
  const lovelaceAt = async (address: string, amount: bigint) => (await devnet.getUtxos(address)).filter((x) => x.assets.lovelace === amount).length
  /**
   * The conservation invariant from public data only: the node's log replayed here with the protocol
   * core (balances, pending exits, credited deposits), the anchor and the deposit address read from
   * layer 1. Called when no exit paid on layer 1 is waiting to be recorded.
   */
  const conserved = async () => {
    await node.sequencer.idle()
    const ledger = new MemoryLedger({ params: { instance: fromHex(info.instance), operator: OPERATOR.account, terms: TERMS, limits: DEFAULT_LIMITS }, hash: blake2b256Reference, verifyEd25519: verifyEd25519Noble }, { keepLog: false })
    const credited = new Map<string, bigint>()
    for await (const page of client.getLog()) {
      for (const e of page.entries) {
        const t = decodeTask(e.bytes, blake2b256Reference, DEFAULT_LIMITS)
        expect(ledger.submit(t).ok).toBe(true)
        if (t.kind === 'deposit') credited.set(`${toHex(t.txHash)}#${t.index}`, t.amount)
      }
    }
    expect(toHex(ledger.state.root())).toBe((await client.getState()).root)
    const waiting = new Set((await devnet.getUtxos(scripts.depositAddress)).map((u) => `${u.txHash}#${u.outputIndex}`))
    const accounts = ledger.state.allAccounts()
    const r = checkConservation({
      anchorLovelace: (await anchor()).assets.lovelace!,
      unabsorbedDeposits: [...credited].filter(([ref]) => waiting.has(ref)).map(([, amount]) => amount),
      balances: accounts.map((a) => a.balance),
      pendingExits: accounts.map((a) => a.pendingExit),
    })
    expect(r.ok, r.summary).toBe(true)
  }
  const commitBatch = async () => {
    node.l1!.poster.forceBatch()
    await tick() // the batch is taken and its commit submitted
    block()
    await tick() // confirmed
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lagoon-journey-'))
    const [operator] = createTestAccounts(1, { lovelace: 100_000_000_000n }) as [EmulatorAccount]
    const users = [user(31), user(32), user(33)]
    const addressOf = (u: User) => credentialToAddress('Custom', { type: 'Key', hash: toHex(u.account) })
    devnet = createDevnet({ accounts: [operator, ...users.map((u) => ({ seedPhrase: '', address: addressOf(u), assets: { lovelace: 1_000_000_000n }, privateKey: u.walletKey }))] })
    const opLucid = await Lucid(devnet, 'Custom')
    opLucid.selectWallet.fromPrivateKey(operator.privateKey)
    const [seed] = await opLucid.wallet().getUtxos()
    const operatorKeyHash = getAddressDetails(operator.address).paymentCredential!.hash
    const init = buildInitTx(opLucid, { seed: seed!, operator: operatorKeyHash, exodusTimeout: BigInt(EXODUS_TIMEOUT_MS), now: devnet.now() })
    scripts = init.scripts
    await devnet.submitTx((await (await init.tx.complete()).sign.withWallet().complete()).toCBOR())
    block()
    const people: Person[] = []
    for (const u of users) {
      const lucid = await Lucid(devnet, 'Custom')
      lucid.selectWallet.fromPrivateKey(u.walletKey)
      people.push({ u, lucid, signer: l2Signer({ account: u.account, secretKey: u.l2Secret }), address: addressOf(u) })
    }
    ;[alice, bob, carol] = people as [Person, Person, Person]
    chain = await DevnetChain.open(devnet, operator.privateKey)
    resetSlots()
    node = await openNode(testConfig(join(dir, 'node.db'), { instance: scripts.policyId, open: true }), {
      chain,
      scripts,
      startL1: false,
      out: quiet,
      l1Settings: { confirmations: K, absorptionMarginMs: 3_600_000, batchIntervalMs: 1e12, batchMaxTasks: 1_000_000 },
    })
    running = await startServer(node, '127.0.0.1', 0)
    client = createLagoonClient({ url: running.url, instance: scripts.policyId, terms: TERMS })
    // A watcher of the live stream for the whole journey.
    await new Promise<void>((resolve) => client.watch({ events: ['batch', 'deposit', 'exit'], signal: watching.signal, onOpen: resolve, onEvent: (e) => events.push(e) }))
    info = {
      instance: scripts.policyId,
      seed: { txHash: seed!.txHash, outputIndex: seed!.outputIndex },
      network: 'Custom',
      anchorAddress: scripts.anchorAddress,
      depositAddress: scripts.depositAddress,
      stateTokenUnit: scripts.unit,
      operatorKeyHash,
      operatorAccount: toHex(OPERATOR.account),
      exodusTimeoutMs: EXODUS_TIMEOUT_MS,
      confirmations: K,
      terms: toHex(TERMS),
    }
  })

  afterAll(async () => {
    watching.abort()
    if (!nodeStopped) await running?.stop()
    chain?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('the node publishes its instance; the SDK derives the same scripts from the seed', async () => {
    expect(await client.getInstance()).toEqual(info)
  })

  it('registers with a CIP-8 wallet signature, then deposits: credited after k confirmations', async () => {
    rememberInstance(client, info) // the rest of the journey does not depend on the previous test
    for (const p of [alice, bob]) await client.register({ wallet: privateKeyWallet(p.u.walletKey), address: p.u.addressHex, l2Key: p.signer.publicKey })
    const from = (await client.getState()).seq + 1
    const a = await client.deposit({ lucid: alice.lucid, amount: 50n * ADA })
    const b = await client.deposit({ lucid: bob.lucid, amount: 20n * ADA })
    // Carol's deposit is refundable within the node's absorption margin: never credited, hers to take back.
    const c = await client.deposit({ lucid: carol.lucid, amount: 5n * ADA, refundAfterMs: 10 * 60_000 })
    carolDeposit = c.outRef
    expect(a.owner).toBe(toHex(alice.u.account))
    block()
    expect((await client.getDeposits({ lucid: alice.lucid })).map((d) => d.outRef)).toEqual([a.outRef])
    await tick()
    expect((await client.getAccount({ account: alice.u.account })).balance).toBe(0n) // seen, 1 confirmation
    block(K - 1)
    await tick()
    const credited = await client.waitForDeposit({ outRef: a.outRef, fromSeq: from, timeoutMs: 5000, pollIntervalMs: 50 })
    expect(credited).toMatchObject({ owner: toHex(alice.u.account), amount: 50n * ADA })
    await client.waitForDeposit({ outRef: b.outRef, fromSeq: from, timeoutMs: 5000, pollIntervalMs: 50 })
    expect((await client.getAccount({ account: alice.u.account })).balance).toBe(50n * ADA)
    expect((await client.getAccount({ account: bob.u.account })).balance).toBe(20n * ADA)
    await expect(client.getAccount({ account: carol.u.account })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(client.deposit({ lucid: alice.lucid, amount: 500_000n })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await conserved()
  })

  it('transfers on layer 2, then a withdrawal paid by the node: requested → committed → paid', async () => {
    await client.transfer({ signer: alice.signer, to: bob.u.account, amount: 10n * ADA })
    const req = await client.requestWithdrawal({ signer: bob.signer, amount: 4n * ADA })
    expect(await client.getWithdrawalStatus({ account: bob.u.account })).toMatchObject({ status: 'requested', amount: 4n * ADA })
    await commitBatch()
    const batch = await client.waitForCommitment({ seq: req.seq, timeoutMs: 5000, pollIntervalMs: 50 })
    expect(batch).toMatchObject({ number: 1, status: 'confirmed' })
    expect(batch.root).toBe(anchorDatumFromData((await anchor()).datum!).root)
    expect(await client.getWithdrawalStatus({ account: bob.u.account })).toMatchObject({ status: 'committed', amount: 4n * ADA, batch: 1 })
    await conserved() // deposits absorbed by the commit
    // The node's proof and a local replay's agree, both checked against the root on layer 1.
    const fromNode = await client.getProof({ account: bob.u.account, lucid: bob.lucid })
    const local = await client.getProof({ account: bob.u.account, lucid: bob.lucid, source: 'local' })
    expect(fromNode).toMatchObject({ batch: 1, verified: true, source: 'node' })
    expect(local).toMatchObject({ batch: 1, verified: true, source: 'local' })
    expect(local.leaf).toEqual(fromNode.leaf)
    expect(local.leaf.pendingExit).toBe(4n * ADA)

    const before = await lovelaceAt(bob.address, 4n * ADA)
    await tick() // the poster pays the batch's exits
    block()
    await tick()
    expect(await lovelaceAt(bob.address, 4n * ADA)).toBe(before + 1)
    block(K)
    await tick() // recorded in the log after k confirmations
    const status = await client.getWithdrawalStatus({ account: bob.u.account })
    expect(status).toMatchObject({ status: 'paid', amount: 4n * ADA })
    expect(status.paidTx).toMatch(/^[0-9a-f]{64}$/)
    expect((await client.getAccount({ account: bob.u.account })).pendingExit).toBe(0n)
    await conserved()
    // The live stream told the same story as it happened.
    await until(() => events.some((e) => e.type === 'exit'))
    const seen = events.map((e) => {
      if (e.type === 'batch') return `batch ${e.data.number} ${e.data.status}`
      if (e.type === 'deposit') return `deposit ${e.data.status}`
      return e.type === 'exit' ? `exit ${e.data.account} ${e.data.amount}` : e.type
    })
    expect(seen).toEqual(expect.arrayContaining(['deposit seen', 'deposit credited', 'batch 1 submitted', 'batch 1 confirmed', 'deposit absorbed', `exit ${toHex(bob.u.account)} ${4n * ADA}`]))
    expect(seen.indexOf('batch 1 submitted')).toBeLessThan(seen.indexOf('batch 1 confirmed'))
    expect(events.find((e) => e.type === 'exit')!.data).toMatchObject({ paidTx: status.paidTx })
  })

  it('withdraws alone: a proof from a local replay, checked against the on-chain root, paid without the operator', async () => {
    const a = await client.requestWithdrawal({ signer: alice.signer, amount: 6n * ADA })
    await client.requestWithdrawal({ signer: bob.signer, amount: 2n * ADA })
    await commitBatch()
    await client.waitForCommitment({ txId: a.txId, timeoutMs: 5000, pollIntervalMs: 50 })

    // A relay that lies about Alice's balance is caught before any layer-1 tx is built.
    const liar = await lyingRelay(running.url)
    try {
      await expect(client.getProof({ account: alice.u.account, lucid: alice.lucid, source: { relay: liar.url } })).rejects.toMatchObject({ code: 'PROOF_MISMATCH' })
    } finally {
      await liar.close()
    }

    // Bob pays his own exit with the node's proof; the follower records it (the poster does not step).
    const bobPaid = await client.withdraw({ lucid: bob.lucid })
    expect(bobPaid).toMatchObject({ amount: 2n * ADA, account: toHex(bob.u.account), batch: 2 })
    block(K)
    await node.l1!.follower.poll()
    // The node's proof is now for a root the anchor no longer holds.
    await expect(client.buildWithdraw({ lucid: alice.lucid, source: 'node' })).rejects.toMatchObject({ code: 'PROOF_STALE' })
    // The local replay rebuilds the committed state and zeroes the exit the log records as paid since.
    const before = await lovelaceAt(alice.address, 6n * ADA)
    const paid = await client.withdraw({ lucid: alice.lucid, source: 'local' })
    expect(paid).toMatchObject({ amount: 6n * ADA, account: toHex(alice.u.account), batch: 2 })
    block()
    expect(await lovelaceAt(alice.address, 6n * ADA)).toBe(before + 1)
    expect(anchorDatumFromData((await anchor()).datum!).root).not.toBe((await client.getBatches({ from: 2 }))[0]!.root)
    // Nothing left to withdraw: the proof against the new root shows a zero exit.
    block(K)
    await tick() // the follower records Alice's exit; the poster sees the exits already paid
    await expect(client.withdraw({ lucid: alice.lucid, source: 'local' })).rejects.toMatchObject({ code: 'NOTHING_TO_WITHDRAW' })
    expect(await client.getWithdrawalStatus({ account: alice.u.account })).toMatchObject({ status: 'paid', amount: 6n * ADA, paidTx: paid.txHash })
    expect((await client.getAccount({ account: alice.u.account })).pendingExit).toBe(0n)
    await conserved()
  })

  it('takes back a deposit the operator never absorbed, once its refund time has passed', async () => {
    await expect(client.refundDeposit({ lucid: carol.lucid, outRef: carolDeposit })).rejects.toMatchObject({ code: 'TOO_EARLY' })
    await expect(client.refundDeposit({ lucid: alice.lucid, outRef: carolDeposit })).rejects.toMatchObject({ code: 'NOT_OWNER' })
    devnet.awaitSlot(10 * 60 + 40)
    const before = await lovelaceAt(carol.address, 5n * ADA)
    const r = await client.refundDeposit({ lucid: carol.lucid })
    expect(r).toMatchObject({ amount: 5n * ADA, outRefs: [carolDeposit] })
    block()
    expect((await client.getDeposits({ lucid: carol.lucid })).length).toBe(0)
    // The change returns to Carol's wallet (5 ADA minus the fee, merged with her other change).
    expect(await lovelaceAt(carol.address, 5n * ADA)).toBeGreaterThanOrEqual(before)
    await expect(client.refundDeposit({ lucid: carol.lucid, outRef: carolDeposit })).rejects.toMatchObject({ code: 'DEPOSIT_NOT_FOUND' })
    await tick()
    await conserved()
  })

  it('exodus after the operator stops: freeze, then withdraw balance + pending exit with a proof from a saved log', async () => {
    // Alice's exit is committed but the operator stops before paying it.
    await client.requestWithdrawal({ signer: alice.signer, amount: 5n * ADA })
    await commitBatch()
    await conserved()
    for await (const page of client.getLog()) savedLog.push(...page.entries)
    const aliceNow = await client.getAccount({ account: alice.u.account })
    const bobNow = await client.getAccount({ account: bob.u.account })
    expect(aliceNow.pendingExit).toBe(5n * ADA)
    await running.stop()
    nodeStopped = true
    // The node is gone: a client of the same URL acts with the saved instance settings and log.
    const orphan = createLagoonClient({ url: running.url })
    await expect(orphan.getState()).rejects.toMatchObject({ code: 'NETWORK_ERROR' })
    await expect(orphan.freeze({ lucid: alice.lucid, instanceInfo: info })).rejects.toMatchObject({ code: 'TOO_EARLY' })
    devnet.awaitSlot(EXODUS_TIMEOUT_MS / 1000 + 40)
    const frozen = await orphan.freeze({ lucid: carol.lucid, instanceInfo: info })
    expect(frozen.batch).toBe(3)
    block()
    expect(anchorDatumFromData((await anchor()).datum!).mode).toBe('frozen')
    await expect(orphan.withdraw({ lucid: alice.lucid, instanceInfo: info, source: { log: savedLog } })).rejects.toMatchObject({ code: 'ANCHOR_FROZEN' })
    const lockedBefore = (await anchor()).assets.lovelace!
    const total = aliceNow.balance + aliceNow.pendingExit
    const before = await lovelaceAt(alice.address, total)
    const r = await orphan.exodusWithdraw({ lucid: alice.lucid, instanceInfo: info, source: { log: savedLog } })
    expect(r).toMatchObject({ amount: total, account: toHex(alice.u.account), batch: 3 })
    block()
    expect(await lovelaceAt(alice.address, total)).toBe(before + 1)
    // Conservation without the node: what the anchor still holds is exactly what Bob (the only other account) owns.
    expect((await anchor()).assets.lovelace!).toBe(lockedBefore - total)
    expect((await anchor()).assets.lovelace! - 2_000_000n).toBe(bobNow.balance + bobNow.pendingExit)
    // Bob's proof needs the anchor's history (Alice's exodus withdrawal is in no log): the SDK reads it from layer 1.
    const bobTotal = bobNow.balance + bobNow.pendingExit
    const rb = await orphan.exodusWithdraw({ lucid: bob.lucid, instanceInfo: info, source: { log: savedLog } })
    expect(rb).toMatchObject({ amount: bobTotal, account: toHex(bob.u.account) })
    block()
    expect((await anchor()).assets.lovelace!).toBe(2_000_000n) // only the reserve is left: everyone is paid
    await expect(orphan.exodusWithdraw({ lucid: alice.lucid, instanceInfo: info, source: { log: savedLog } })).rejects.toMatchObject({ code: 'NOTHING_TO_WITHDRAW' })
  })
})

async function until(check: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20))
}

/** A "relay" that serves the node's proofs with the balance raised by 1 ADA. */
async function lyingRelay(nodeUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const r = await fetch(nodeUrl + req.url!)
    const body = (await r.json()) as { leaf?: { balance: string } }
    if (body.leaf) body.leaf.balance = String(BigInt(body.leaf.balance) + 1_000_000n)
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
