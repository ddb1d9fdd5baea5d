import { credentialToAddress } from '@lucid-evolution/lucid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromHex, toHex } from '../../sdk/src/core/bytes.js'
import { anchorDatumFromData } from '../../sdk/src/l1/index.js'
import { keyTask, OPERATOR, TERMS, type User } from '../../sdk/test/support/world.js'
import { client, keyJson } from './support/client.js'
import { ADA, anchorOf, commitBatch, depositOnL1, devnetWorld, l2tx, startDevnetNode, type DevnetWorld } from './support/devnetWorld.js'
import { startTestNode, tempDb } from './support/harness.js'
import { openSse, type SseConnection } from './support/sse.js'

describe('GET /instance, GET /accounts/:id/withdrawals and the layer-1 events of GET /stream (strict devnet)', () => {
  let w: DevnetWorld
  let t: Awaited<ReturnType<typeof startDevnetNode>>
  let api: ReturnType<typeof client>
  let s: SseConnection
  let alice: User, bob: User

  beforeAll(async () => {
    w = await devnetWorld([1, 2])
    ;[alice, bob] = w.users as [User, User]
    t = await startDevnetNode(w, tempDb(), { open: true })
    api = client(t.url)
    s = await openSse(`${t.url}/stream?events=batch,deposit,exit,receipts`)
    for (const u of w.users) expect((await api.postJson('/accounts/register', keyJson(keyTask(u, { instance: fromHex(w.scripts.policyId) })))).status).toBe(200)
  })
  afterAll(async () => {
    s?.close()
    await t?.running.stop()
  })

  const withdrawals = async (u: User) => {
    const r = await api.get(`/accounts/${toHex(u.account)}/withdrawals`)
    expect(r.status).toBe(200)
    return r.json as { amount: string; requestedSeq: number; status: string; batch?: number; paidTx?: string }[]
  }

  it('serves the instance: what the SDK and the CLI need on layer 1', async () => {
    const r = await api.get('/instance')
    expect(r.status).toBe(200)
    const d = anchorDatumFromData((await anchorOf(w)).datum!)
    expect(r.json).toEqual({
      instance: w.scripts.policyId,
      seed: `${w.scripts.seed.txHash}#${w.scripts.seed.outputIndex}`,
      network: 'Custom',
      anchorAddress: w.scripts.anchorAddress,
      depositAddress: w.scripts.depositAddress,
      stateTokenUnit: w.scripts.unit,
      operatorKeyHash: w.operatorKeyHash,
      operatorAccount: toHex(OPERATOR.account),
      exodusTimeoutMs: 86_400_000,
      confirmations: 5,
      terms: toHex(TERMS),
    })
    expect(d.operator).toBe(w.operatorKeyHash)
  })

  it('answers 404 NO_L1 on a node without a layer 1 (and an empty history for an account without withdrawals)', async () => {
    const o = await startTestNode()
    try {
      const c = client(o.url)
      const r = await c.get('/instance')
      expect([r.status, r.json.code]).toEqual([404, 'NO_L1'])
      await o.node.sequencer.submitTask({ kind: 'deposit', txHash: new Uint8Array(32).fill(7), index: 0, owner: alice.account, amount: 5n })
      expect((await c.get(`/accounts/${toHex(alice.account)}/withdrawals`)).json).toEqual([])
      expect((await c.get(`/accounts/${'ab'.repeat(28)}/withdrawals`)).json.code).toBe('NOT_FOUND')
    } finally {
      await o.stop()
    }
  })

  it('deposit → seen → credited → absorbed; withdrawal requested → committed → paid, each an event', async () => {
    const depTx = await depositOnL1(w, alice, 50n * ADA)
    const outRef = `${depTx}#0`
    w.devnet.awaitBlock(1)
    await t.node.l1!.tick()
    await s.until((ev) => ev.some((e) => e.event === 'deposit' && JSON.parse(e.data).status === 'seen'))
    expect(s.data('deposit')[0]).toEqual({ outRef, owner: toHex(alice.account), amount: String(50n * ADA), status: 'seen' })
    w.devnet.awaitBlock(4)
    await t.node.l1!.tick()
    await s.until((ev) => ev.some((e) => e.event === 'deposit' && JSON.parse(e.data).status === 'credited'))
    expect(s.data('deposit')[1]).toEqual({ outRef, owner: toHex(alice.account), amount: String(50n * ADA), status: 'credited' })

    // Alice pays Bob; Bob asks to withdraw twice (one tx each).
    expect((await api.postCbor('/tx', l2tx(w, alice, 0, [{ type: 'transfer', to: bob.account, amount: 10n * ADA }]).bytes)).status).toBe(200)
    const r1 = await api.postCbor('/tx', l2tx(w, bob, 0, [{ type: 'withdraw', amount: 3n * ADA }]).bytes)
    const r2 = await api.postCbor('/tx', l2tx(w, bob, 1, [{ type: 'withdraw', amount: 1n * ADA }]).bytes)
    expect(await withdrawals(bob)).toEqual([
      { amount: String(3n * ADA), requestedSeq: r1.json.seq, status: 'requested' },
      { amount: String(1n * ADA), requestedSeq: r2.json.seq, status: 'requested' },
    ])
    expect(await withdrawals(alice)).toEqual([])

    // The commitment: pending → submitted → confirmed, and the deposit absorbed.
    await commitBatch(w, t.node)
    await s.until((ev) => ev.some((e) => e.event === 'batch' && JSON.parse(e.data).status === 'confirmed'))
    const state = (await api.get('/state')).json
    const batches = s.data('batch')
    expect(batches.map((b) => b.status)).toEqual(['pending', 'submitted', 'confirmed'])
    const commitTx = t.node.l1!.poster.batch(1)!.l1Tx
    expect(batches[2]).toEqual({ number: 1, root: state.root, logHead: state.logHead, fromSeq: 1, toSeq: state.seq, status: 'confirmed', l1Tx: commitTx })
    expect(batches[0]).toMatchObject({ number: 1, root: state.root, status: 'pending', l1Tx: null })
    await s.until((ev) => ev.some((e) => e.event === 'deposit' && JSON.parse(e.data).status === 'absorbed'))
    expect(s.data('deposit')[2]).toEqual({ outRef, owner: toHex(alice.account), amount: String(50n * ADA), status: 'absorbed' })
    expect(await withdrawals(bob)).toEqual([
      { amount: String(3n * ADA), requestedSeq: r1.json.seq, status: 'committed', batch: 1 },
      { amount: String(1n * ADA), requestedSeq: r2.json.seq, status: 'committed', batch: 1 },
    ])

    // A third request after the batch stays `requested`.
    const r3 = await api.postCbor('/tx', l2tx(w, bob, 2, [{ type: 'withdraw', amount: 2n * ADA }]).bytes)

    // The poster pays Bob's committed 4 ADA; the follower records it after k confirmations.
    await t.node.l1!.tick()
    w.devnet.awaitBlock(1)
    await t.node.l1!.tick()
    expect(s.data('exit')).toEqual([]) // not before k
    w.devnet.awaitBlock(4)
    await t.node.l1!.tick()
    await s.until((ev) => ev.some((e) => e.event === 'exit'))
    const [exit] = s.data('exit')
    expect(exit).toEqual({ account: toHex(bob.account), amount: String(4n * ADA), batch: 1, paidTx: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const bobAddrUtxos = await w.devnet.getUtxos(credentialToAddress('Custom', { type: 'Key', hash: toHex(bob.account) }))
    expect(bobAddrUtxos.some((u) => u.txHash === exit.paidTx && u.assets.lovelace === 4n * ADA)).toBe(true)
    expect(await withdrawals(bob)).toEqual([
      { amount: String(3n * ADA), requestedSeq: r1.json.seq, status: 'paid', batch: 1, paidTx: exit.paidTx },
      { amount: String(1n * ADA), requestedSeq: r2.json.seq, status: 'paid', batch: 1, paidTx: exit.paidTx },
      { amount: String(2n * ADA), requestedSeq: r3.json.seq, status: 'requested' },
    ])
    // The receipts stream saw the layer-1 tasks too (deposit and exit paid), once each.
    const kinds = s.data<{ receipts: { kind: string }[] }>('receipts').flatMap((e) => e.receipts.map((r) => r.kind))
    expect(kinds.filter((k) => k === 'deposit')).toHaveLength(1)
    expect(kinds.filter((k) => k === 'exitPaid')).toHaveLength(1)
  })

  it('lists the new routes in the OpenAPI document, with response schemas', async () => {
    const doc = (await api.get('/openapi.json')).json
    expect(doc.paths['/instance'].get.responses['200'].content['application/json'].schema.required).toContain('depositAddress')
    expect(doc.paths['/instance'].get.responses['404'].description).toContain('NO_L1')
    expect(doc.paths['/accounts/{id}/withdrawals'].get.responses['200'].content['application/json'].schema.type).toBe('array')
    expect(doc.paths['/stream'].get.responses['200'].content).toHaveProperty('text/event-stream')
    expect(doc.paths['/log/stream'].get.security).toEqual([{ bearer: ['relay'] }])
    expect(doc.paths['/openapi.json'].get).toBeDefined()
  })
})
