import { describe, expect, it } from 'vitest'
import { Constr, credentialToAddress, Data, type UTxO } from '@lucid-evolution/lucid'
import { fromHex, toHex } from '../../sdk/src/core/bytes.js'
import { blake2b256Reference } from '../../sdk/src/core/crypto/blake2b256.js'
import { buildSignedTx } from '../../sdk/src/core/tx/buildSignedTx.js'
import type { Action } from '../../sdk/src/core/tx/types.js'
import { anchorDatumFromData, buildDepositTx, buildRefundTx, depositDatumToData, depositsHash } from '../../sdk/src/l1/index.js'
import { decodeProof, verifyProof } from '../../sdk/src/core/merkle/proof.js'
import { leafHash } from '../../sdk/src/core/state/leafHash.js'
import { keyTask, type User } from '../../sdk/test/support/world.js'
import { DevnetChain } from '../src/l1/L1Chain.js'
import { openNode, type LagoonNode } from '../src/node/openNode.js'
import { startServer, type RunningServer } from '../src/node/startServer.js'
import { client, keyJson } from './support/client.js'
import { tempDb, testConfig } from './support/harness.js'
import { conservationOf } from '../../test/reliability/support/gatherConservation.js'
import { l1World, type L1World } from '../../sdk/test/audit/l1World.js'

const ADA = 1_000_000n
const quiet = () => {}

async function startL1Node(w: L1World, db: string): Promise<{ node: LagoonNode; running: RunningServer; chain: DevnetChain }> {
  const chain = await DevnetChain.open(w.devnet, w.operator.privateKey)
  const node = await openNode(testConfig(db, { instance: w.scripts.policyId, open: true }), {
    chain,
    scripts: w.scripts,
    startL1: false,
    out: quiet,
    l1Settings: { confirmations: 5, absorptionMarginMs: 3_600_000, batchIntervalMs: 1e12, batchMaxTasks: 1_000_000 },
  })
  const running = await startServer(node, '127.0.0.1', 0)
  return { node, running, chain }
}

function l2tx(w: L1World, u: User, nonce: number, actions: Action[]) {
  return buildSignedTx({ instance: fromHex(w.scripts.policyId), signer: u.account, nonce, fee: 0n, actions }, u.l2Secret, blake2b256Reference)
}

async function deposit(w: L1World, u: User, amount: bigint, refundInMs = 3 * 3_600_000): Promise<string> {
  w.lucid.selectWallet.fromPrivateKey(u.walletKey)
  const tx = buildDepositTx(w.lucid, w.scripts, { owner: toHex(u.account), refundAfter: BigInt(w.devnet.now() + refundInMs) }, amount)
  const h = await w.devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
  w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
  return h
}

const anchorOf = async (w: L1World): Promise<UTxO> => (await w.devnet.getUtxos(w.scripts.anchorAddress)).find((u) => u.assets[w.scripts.unit] === 1n)!

// The conservation invariant (docs/reliability.md): figures from the chain and a replay of the node's
// log (the state tables may lag the log: the sequencer flushes them in the background).
async function conservation(_w: L1World, node: LagoonNode): Promise<void> {
  const r = await conservationOf(node, node.l1!.chain, node.l1!.scripts)
  expect(r.ok, r.summary).toBe(true)
}

describe('layer 1: follower and poster on the strict devnet, against a real server', () => {
  it('deposit → credited after k → transfers → commitment → withdrawal paid by the poster → restart → next batch', async () => {
    const w = await l1World()
    const db = tempDb()
    let { node, running } = await startL1Node(w, db)
    const [alice, bob] = w.users as [User, User]
    let api = client(running.url)
    for (const u of w.users) expect((await api.postJson('/accounts/register', keyJson(keyTask(u, { instance: fromHex(w.scripts.policyId) })))).status).toBe(200)

    // Deposit: seen at 1 confirmation, not credited before k = 5, credited at 5.
    const depTx = await deposit(w, alice, 50n * ADA)
    w.devnet.awaitBlock(1)
    await node.l1!.tick()
    const row = () => node.db.prepare('SELECT status, l1_height FROM deposits WHERE tx_hash = ?').get(fromHex(depTx)) as { status: string; l1_height: number } | undefined
    expect(row()?.status).toBe('seen')
    w.devnet.awaitBlock(3)
    await node.l1!.tick()
    expect(row()?.status).toBe('seen')
    expect((await api.get(`/accounts/${toHex(alice.account)}`)).json.balance).toBe('0')
    w.devnet.awaitBlock(1)
    await node.l1!.tick()
    expect(row()?.status).toBe('credited')
    expect((await api.get(`/accounts/${toHex(alice.account)}`)).json.balance).toBe(String(50n * ADA))
    await node.l1!.tick() // a second poll credits nothing twice
    expect((await api.get(`/accounts/${toHex(alice.account)}`)).json.balance).toBe(String(50n * ADA))

    // Transfers and a withdrawal request.
    expect((await api.postCbor('/tx', l2tx(w, alice, 0, [{ type: 'transfer', to: bob.account, amount: 10n * ADA }]).bytes)).status).toBe(200)
    expect((await api.postCbor('/tx', l2tx(w, bob, 0, [{ type: 'withdraw', amount: 4n * ADA }]).bytes)).status).toBe(200)

    // Commitment.
    node.l1!.poster.forceBatch()
    await node.l1!.tick()
    expect(node.l1!.poster.batch(1)?.status).toBe('submitted')
    w.devnet.awaitBlock(1)
    await node.l1!.tick()
    const state = (await api.get('/state')).json
    const batches = (await api.get('/batches')).json
    expect(batches).toHaveLength(1)
    expect(batches[0]).toMatchObject({ number: 1, root: state.root, firstSeq: 1, lastSeq: state.seq, logHead: state.logHead, status: 'confirmed' })
    const d1 = anchorDatumFromData((await anchorOf(w)).datum!)
    expect(d1).toMatchObject({ batch: 1n, root: state.root, logHead: state.logHead, logSeq: BigInt(state.seq) })
    expect(d1.depositsHash).toBe(depositsHash([{ txHash: depTx, outputIndex: 0, owner: toHex(alice.account), amount: 50n * ADA }]))
    expect(row()?.status).toBe('absorbed')
    const proof = (await api.get(`/accounts/${toHex(bob.account)}/proof?batch=1`)).json
    expect(proof).toMatchObject({ batch: 1, root: state.root, leaf: { pendingExit: String(4n * ADA) } })
    await conservation(w, node)

    // The poster pays Bob's exit; the follower records it after k confirmations.
    const bobAddr = credentialToAddress('Custom', { type: 'Key', hash: toHex(bob.account) })
    const bobBefore = (await w.devnet.getUtxos(bobAddr)).length
    await node.l1!.tick()
    w.devnet.awaitBlock(1)
    await node.l1!.tick()
    expect((await w.devnet.getUtxos(bobAddr)).some((u) => u.assets.lovelace === 4n * ADA)).toBe(true)
    expect((await w.devnet.getUtxos(bobAddr)).length).toBe(bobBefore + 1)
    expect((await api.get(`/accounts/${toHex(bob.account)}`)).json.pendingExit).toBe(String(4n * ADA)) // not before k
    w.devnet.awaitBlock(4)
    await node.l1!.tick()
    expect((await api.get(`/accounts/${toHex(bob.account)}`)).json.pendingExit).toBe('0')
    expect(toHex((await node.sequencer.state.root()))).toBe(anchorDatumFromData((await anchorOf(w)).datum!).root)
    await conservation(w, node)

    // Bob's account changed after batch 1 (his exit paid) and changes again: a proof at batch 1 still gives his leaf as it was then
    // (from the batch's journal, no replay of the log), and it verifies against batch 1's root.
    expect((await api.postCbor('/tx', l2tx(w, alice, 1, [{ type: 'transfer', to: bob.account, amount: 2n * ADA }]).bytes)).status).toBe(200)
    expect((await api.get(`/accounts/${toHex(bob.account)}`)).json.balance).toBe(String(8n * ADA))
    const again = (await api.get(`/accounts/${toHex(bob.account)}/proof?batch=1`)).json
    expect(again).toEqual(proof)
    expect(again.leaf.balance).toBe(String(6n * ADA))
    const provedLeaf = { account: bob.account, balance: BigInt(again.leaf.balance), pendingExit: BigInt(again.leaf.pendingExit), nonce: Number(again.leaf.nonce), recordsRoot: fromHex(again.leaf.recordsRoot) }
    expect(verifyProof(blake2b256Reference, fromHex(state.root), leafHash(blake2b256Reference, provedLeaf), decodeProof(fromHex(again.proof)))).toBe(true)
    expect(node.metrics.get('lagoon_view_replays_total')).toBe(0)

    // Restart mid-run: more traffic, a new deposit, then the next batch from the restarted node.
    await running.stop()
    ;({ node, running } = await startL1Node(w, db))
    api = client(running.url)
    expect((await api.postCbor('/tx', l2tx(w, alice, 2, [{ type: 'transfer', to: bob.account, amount: 1n * ADA }]).bytes)).status).toBe(200)
    const dep2 = await deposit(w, bob, 7n * ADA)
    w.devnet.awaitBlock(5)
    await node.l1!.tick()
    expect((await api.get(`/accounts/${toHex(bob.account)}`)).json.balance).toBe(String(16n * ADA))
    // After a restart the node has no view of batch 1 in memory: it rebuilds it by replay, once.
    expect((await api.get(`/accounts/${toHex(bob.account)}/proof?batch=1`)).json).toEqual(proof)
    expect(node.metrics.get('lagoon_view_replays_total')).toBe(1)
    node.l1!.poster.forceBatch()
    await node.l1!.tick()
    w.devnet.awaitBlock(1)
    await node.l1!.tick()
    const s2 = (await api.get('/state')).json
    const d2 = anchorDatumFromData((await anchorOf(w)).datum!)
    expect(d2).toMatchObject({ batch: 2n, root: s2.root, logSeq: BigInt(s2.seq) })
    expect(d2.depositsHash).toBe(depositsHash([{ txHash: dep2, outputIndex: 0, owner: toHex(bob.account), amount: 7n * ADA }]))
    expect((await api.get('/batches')).json.map((b: { number: number; status: string }) => [b.number, b.status])).toEqual([[1, 'confirmed'], [2, 'confirmed']])
    await conservation(w, node)

    // Restarted again: batch 1 is neither kept nor the latest confirmed, so no one can make the node
    // replay its log for it; the latest confirmed batch is still served (replayed once).
    await running.stop()
    ;({ node, running } = await startL1Node(w, db))
    api = client(running.url)
    const old = await api.get(`/accounts/${toHex(bob.account)}/proof?batch=1`)
    expect(old.status).toBe(404)
    expect(old.json).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('relay') })
    expect(node.metrics.get('lagoon_view_replays_total')).toBe(0)
    expect((await api.get(`/accounts/${toHex(bob.account)}/proof`)).json).toMatchObject({ batch: 2, root: s2.root })
    expect(node.metrics.get('lagoon_view_replays_total')).toBe(1)
    await running.stop()
  })

  it('a rollback of the deposit block before k confirmations credits nothing', async () => {
    const w = await l1World()
    const { node, running } = await startL1Node(w, tempDb())
    const [alice] = w.users as [User, User]
    const api = client(running.url)
    const depTx = await deposit(w, alice, 20n * ADA)
    w.devnet.awaitBlock(3)
    await node.l1!.tick()
    expect(node.db.prepare('SELECT status FROM deposits WHERE tx_hash = ?').pluck().get(fromHex(depTx))).toBe('seen')
    w.devnet.rollback(3) // the deposit's block and the two above it
    w.devnet.awaitBlock(5)
    await node.l1!.tick()
    expect(node.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(0)
    expect((await api.get(`/accounts/${toHex(alice.account)}`)).status).toBe(404)
    expect(node.sequencer.tip.seq).toBe(0)
    // Re-included later: credited once, after k confirmations of its new block.
    const rec = w.devnet.getTxRecord(depTx)
    expect(rec).toBeUndefined()
    await conservation(w, node)
    await running.stop()
  })

  it('does not credit a deposit whose refund time is within the absorption margin', async () => {
    const w = await l1World()
    const { node, running } = await startL1Node(w, tempDb())
    const [alice] = w.users as [User, User]
    await deposit(w, alice, 20n * ADA, 600_000) // refundable in 10 min < 1 h margin
    w.devnet.awaitBlock(6)
    await node.l1!.tick()
    expect(node.db.prepare('SELECT status FROM deposits').pluck().all()).toEqual(['seen'])
    expect(node.sequencer.tip.seq).toBe(0)
    await conservation(w, node)
    await running.stop()
  })

  it('never credits a deposit with a reference script, a datum hash, or a datum other than the deposit datum; the owner refunds them', async () => {
    const w = await l1World()
    const { node, running } = await startL1Node(w, tempDb())
    const [alice] = w.users as [User, User]
    const refundAfter = BigInt(w.devnet.now() + 3 * 3_600_000)
    const good = depositDatumToData({ owner: toHex(alice.account), refundAfter })
    const extraField = Data.to(new Constr(0, [...good.fields, 7n]))
    w.lucid.selectWallet.fromPrivateKey(alice.walletKey)
    const tx = w.lucid
      .newTx()
      .pay.ToContract(w.scripts.depositAddress, { kind: 'inline', value: Data.to(good) }, { lovelace: 30n * ADA }, w.scripts.deposit) // carries a reference script
      .pay.ToContract(w.scripts.depositAddress, { kind: 'inline', value: extraField }, { lovelace: 20n * ADA })
      .pay.ToContract(w.scripts.depositAddress, { kind: 'asHash', value: Data.to(good) }, { lovelace: 10n * ADA })
    await w.devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
    w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
    w.devnet.awaitBlock(6)
    await node.l1!.tick()
    expect(node.db.prepare('SELECT status FROM deposits').pluck().all()).toEqual(['seen', 'seen', 'seen'])
    expect(node.sequencer.tip.seq).toBe(0)
    expect(node.metrics.get('lagoon_l1_deposits_refused_total', 'reason="HAS_SCRIPT"')).toBe(1)
    expect(node.metrics.get('lagoon_l1_deposits_refused_total', 'reason="BAD_DATUM"')).toBe(2)
    await conservation(w, node)
    // Still the owner's: after the refund time she takes the reference-script one back.
    w.devnet.awaitSlot(4 * 3600)
    const withScript = (await w.devnet.getUtxos(w.scripts.depositAddress)).find((u) => u.scriptRef)!
    w.lucid.selectWallet.fromPrivateKey(alice.walletKey)
    await w.devnet.submitTx((await (await buildRefundTx(w.lucid, w.scripts, [withScript], w.devnet.now()).complete()).sign.withWallet().complete()).toCBOR())
    w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
    w.devnet.awaitBlock(1)
    expect((await w.devnet.getUtxos(w.scripts.depositAddress)).some((u) => u.scriptRef)).toBe(false)
    await running.stop()
  })
})
