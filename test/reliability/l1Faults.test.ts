import { afterEach, describe, expect, it } from 'vitest'
import { toHex } from '../../sdk/src/core/bytes.js'
import { checkConservation } from '../../sdk/src/conservation/checkConservation.js'
import type { LagoonNode } from '../../sequencer/src/node/openNode.js'
import type { FaultyChain } from './support/FaultyChain.js'
import { gatherConservation } from './support/gatherConservation.js'
import {
  ADA,
  anchorBatch,
  anchorOf,
  checkChainHistory,
  deposit,
  disposeWorld,
  l1World,
  l2tx,
  openWorldNode,
  registerAll,
  worldChain,
  type L1World,
} from './support/l1World.js'
import { replayNodeLog } from './support/replayNodeLog.js'

// Layer-1 faults on the strict devnet (issue 7): rollbacks of blocks holding a deposit, a commitment
// and an exit; a commit tx that fails or is dropped (a timeout); a provider that errors and answers
// late. sequencer/test/l1.test.ts covers the happy path and a deposit rolled back before k.

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of cleanup.reverse()) await f()
  cleanup = []
})

async function setup(users = 3, seed = 1): Promise<{ w: L1World; chain: FaultyChain; node: LagoonNode }> {
  const w = await l1World(users)
  const chain = await worldChain(w, seed)
  const node = await openWorldNode(w, chain)
  cleanup.push(async () => {
    await node.close()
    disposeWorld(w)
  })
  await registerAll(w, node)
  return { w, chain, node }
}

const creditsInLog = (node: LagoonNode) => node.db.prepare('SELECT count(*) FROM log WHERE kind = 3').pluck().get() as number
const depositStatus = (node: LagoonNode, txHash: string) => node.db.prepare('SELECT status FROM deposits WHERE tx_hash = ?').pluck().get(Buffer.from(txHash, 'hex')) as string | undefined
const balance = (node: LagoonNode, u: { account: Uint8Array }) => node.sequencer.state.getAccount(u.account)?.balance ?? 0n

/** Rounds of (tick, block) until `done` or `max` rounds; tolerates the provider's injected errors (the loop logs and retries). */
async function drive(w: L1World, node: LagoonNode, done: () => Promise<boolean> | boolean, max = 40): Promise<number> {
  for (let i = 0; i < max; i++) {
    await node.l1!.tick()
    if (await done()) return i
    w.devnet.awaitBlock(1)
  }
  const where = { anchorBatch: await anchorBatch(w), batches: node.l1!.poster.batches().map((b) => [b.number, b.status]), deposits: node.db.prepare('SELECT status FROM deposits').pluck().all() }
  throw new Error(`not done after ${max} rounds: ${JSON.stringify(where)}`)
}

async function invariants(w: L1World, chain: FaultyChain, node: LagoonNode, requested = new Map<string, bigint>()) {
  const hist = await checkChainHistory(w, requested)
  expect(hist.problems).toEqual([])
  const replay = replayNodeLog(node)
  expect(replay.duplicates).toEqual([])
  expect(replay.root).toBe(toHex(node.sequencer.state.root()))
  const rf = chain.readFailRate
  chain.readFailRate = 0
  const cons = checkConservation(await gatherConservation(node, chain, w.scripts))
  chain.readFailRate = rf
  expect(cons.ok, cons.summary).toBe(true)
  return hist
}

describe('layer-1 rollbacks', () => {
  it('a deposit rolled back before k and re-included later is credited once, k blocks after its new block', async () => {
    const { w, chain, node } = await setup()
    const [alice] = w.users
    const dep = await deposit(w, alice!, 20n * ADA)
    w.devnet.awaitBlock(2)
    await node.l1!.tick()
    expect(depositStatus(node, dep)).toBe('seen')
    const undone = w.devnet.rollback(2)
    await node.l1!.tick()
    expect(depositStatus(node, dep)).toBeUndefined()
    // The network re-includes it two blocks later.
    w.devnet.awaitBlock(2)
    await w.devnet.submitTx(undone.find((r) => r.txHash === dep)!.cbor)
    w.devnet.awaitBlock(2) // 2 confirmations of the new block: k = 3 not reached
    await node.l1!.tick()
    expect(depositStatus(node, dep)).toBe('seen')
    expect(balance(node, alice!)).toBe(0n)
    w.devnet.awaitBlock(1)
    await node.l1!.tick()
    await node.l1!.tick()
    expect(balance(node, alice!)).toBe(20n * ADA)
    expect(creditsInLog(node)).toBe(1)
    await invariants(w, chain, node)
  })

  for (const reincluded of [false, true]) {
    it(`a commitment rolled back after the node saw it confirmed is ${reincluded ? 'not posted again when the network re-includes it' : 're-posted once when it is dropped'}`, async () => {
      const { w, chain, node } = await setup()
      const [alice, bob] = w.users
      const dep = await deposit(w, alice!, 30n * ADA)
      w.devnet.awaitBlock(3)
      await node.l1!.tick()
      await node.sequencer.submitTx(l2tx(w, alice!, 0, [{ type: 'transfer', to: bob!.account, amount: 4n * ADA }]).bytes)
      node.l1!.poster.forceBatch()
      await node.l1!.tick() // commit submitted
      w.devnet.awaitBlock(1)
      await node.l1!.tick() // confirmed (commitConfirmations 1), the deposit absorbed
      expect(node.l1!.poster.batch(1)?.status).toBe('confirmed')
      expect(depositStatus(node, dep)).toBe('absorbed')
      const root = node.l1!.poster.batch(1)!.root
      const undone = w.devnet.rollback(1)
      expect(await anchorBatch(w)).toBe(0)
      if (reincluded) for (const r of undone.reverse()) await w.devnet.submitTx(r.cbor)
      await drive(w, node, async () => (await anchorBatch(w)) === 1 && node.l1!.poster.batch(1)?.status === 'confirmed' && depositStatus(node, dep) === 'absorbed')
      expect((await anchorOf(w)).datum).toBeDefined()
      expect(node.l1!.poster.batch(1)!.root).toBe(root)
      const hist = await invariants(w, chain, node)
      expect(hist.commits).toBe(1)
      // And the node keeps going: the next batch is number 2.
      await node.sequencer.submitTx(l2tx(w, alice!, 1, [{ type: 'transfer', to: bob!.account, amount: 1n * ADA }]).bytes)
      node.l1!.poster.forceBatch()
      await drive(w, node, async () => (await anchorBatch(w)) === 2 && node.l1!.poster.batch(2)?.status === 'confirmed')
      expect((await invariants(w, chain, node)).commits).toBe(2)
    })
  }

  for (const reincluded of [false, true]) {
    it(`an exit payment rolled back before k is paid exactly once (${reincluded ? 're-included by the network' : 'dropped'})`, async () => {
      const { w, chain, node } = await setup()
      const [alice] = w.users
      await deposit(w, alice!, 30n * ADA)
      w.devnet.awaitBlock(3)
      await node.l1!.tick()
      await node.sequencer.submitTx(l2tx(w, alice!, 0, [{ type: 'withdraw', amount: 6n * ADA }]).bytes)
      node.l1!.poster.forceBatch()
      await drive(w, node, () => node.l1!.poster.batch(1)?.status === 'confirmed')
      await drive(w, node, () => chain.submits.length === 2) // the Withdraw tx submitted
      w.devnet.awaitBlock(1)
      await node.l1!.tick()
      expect((await checkChainHistory(w, new Map())).paid.get(toHex(alice!.account))).toBe(6n * ADA)
      // Paid on layer 1, not yet recorded (k = 3): the checker counts it as paid-unrecorded.
      const mid = await gatherConservation(node, chain, w.scripts)
      expect(mid.exitsPaidUnrecorded).toBe(6n * ADA)
      expect(checkConservation(mid).ok, checkConservation(mid).summary).toBe(true)
      const undone = w.devnet.rollback(1)
      expect((await checkChainHistory(w, new Map())).paid.size).toBe(0)
      if (reincluded) for (const r of undone.reverse()) await w.devnet.submitTx(r.cbor)
      await drive(w, node, () => node.sequencer.state.getAccount(alice!.account)!.pendingExit === 0n)
      const hist = await invariants(w, chain, node, new Map([[toHex(alice!.account), 6n * ADA]]))
      expect(hist.paid.get(toHex(alice!.account))).toBe(6n * ADA)
      expect(node.db.prepare('SELECT count(*) FROM log WHERE kind = 4').pluck().get()).toBe(1)
    })
  }
})

/** A node with a credited deposit and a transfer applied since: batch 1 is ready to be posted. */
async function withBatchToPost(): Promise<{ w: L1World; chain: FaultyChain; node: LagoonNode }> {
  const world = await setup()
  const { w, node } = world
  const [alice, bob] = w.users
  await deposit(w, alice!, 10n * ADA)
  w.devnet.awaitBlock(3)
  await node.l1!.tick()
  await node.sequencer.submitTx(l2tx(w, alice!, 0, [{ type: 'transfer', to: bob!.account, amount: 1n * ADA }]).bytes)
  return world
}

describe('commit transactions that fail or time out', () => {
  it('a commit refused three times by the provider is posted once when it accepts', async () => {
    const { w, chain, node } = await withBatchToPost()
    chain.nextSubmits.push('fail', 'fail', 'fail')
    node.l1!.poster.forceBatch()
    await drive(w, node, async () => node.l1!.poster.batch(1)?.status === 'confirmed')
    expect(chain.submits.map((s) => s.fault)).toEqual(['fail', 'fail', 'fail', 'ok'])
    expect((await invariants(w, chain, node)).commits).toBe(1)
  })

  it('a commit accepted then dropped (never included: a timeout) is re-posted, once', async () => {
    const { w, chain, node } = await withBatchToPost()
    chain.nextSubmits.push('drop')
    node.l1!.poster.forceBatch()
    await drive(w, node, async () => node.l1!.poster.batch(1)?.status === 'confirmed')
    expect(chain.submits.map((s) => s.fault)).toEqual(['drop', 'ok'])
    expect(node.l1!.poster.batch(1)!.l1Tx).toBe(chain.submits[1]!.txHash)
    expect((await invariants(w, chain, node)).commits).toBe(1)
  })
})

describe('a provider that errors and answers late', () => {
  it('30 % of reads fail, every read up to 15 ms late, some submits refused or dropped: deposits credited once, batches in order, exits paid once', async () => {
    const { w, chain, node } = await setup(4, 7)
    chain.readFailRate = 0.3
    chain.maxDelayMs = 15
    const us = w.users
    const requested = new Map<string, bigint>()
    const nonce = new Map<string, number>()
    const send = async (u: (typeof us)[0], actions: Parameters<typeof l2tx>[3]) => {
      const k = toHex(u!.account)
      await node.sequencer.submitTx(l2tx(w, u!, nonce.get(k) ?? 0, actions).bytes)
      nonce.set(k, (nonce.get(k) ?? 0) + 1)
    }
    for (const u of us) await deposit(w, u!, 25n * ADA)
    await drive(w, node, () => creditsInLog(node) === us.length, 80)
    for (let round = 1; round <= 3; round++) {
      for (const [i, u] of us.entries()) {
        await send(u, [{ type: 'transfer', to: us[(i + 1) % us.length]!.account, amount: BigInt(round) * 100_000n }])
        if ((i + round) % 2 === 0) {
          const amt = BigInt(round) * ADA + BigInt(i)
          await send(u, [{ type: 'withdraw', amount: amt }])
          requested.set(toHex(u!.account), (requested.get(toHex(u!.account)) ?? 0n) + amt)
        }
      }
      if (round === 2) await deposit(w, us[0]!, 3n * ADA)
      chain.nextSubmits.push(round === 1 ? 'fail' : round === 2 ? 'drop' : 'ok')
      node.l1!.poster.forceBatch()
      await drive(w, node, async () => (await anchorBatch(w)) === round && node.l1!.poster.batch(round)?.status === 'confirmed', 120)
    }
    await drive(w, node, () => us.every((u) => node.sequencer.state.getAccount(u!.account)!.pendingExit === 0n), 200)
    chain.readFailRate = 0
    const hist = await invariants(w, chain, node, requested)
    expect(hist.commits).toBe(3)
    for (const [a, amt] of requested) expect(hist.paid.get(a)).toBe(amt)
    expect(creditsInLog(node)).toBe(us.length + 1)
    expect(node.metrics.render()).toMatch(/lagoon_l1_round_failures_total \d+/)
  }, 120_000)
})
