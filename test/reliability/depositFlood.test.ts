/**
 * Deposits against the real node's follower and poster on the strict devnet (issue: "a deposit flood
 * steals from the anchor"). Before: every credited deposit went into one commit, so 200 small deposits
 * made every commit too big; after the margin the attacker refunded them and the poster committed a
 * root that still held her credit, then paid her exit from the other users' ADA. Now the follower
 * credits at most one commit's worth (`maxDepositsPerCommit`) at a time, the poster absorbs them in
 * that many commits, and a credited deposit gone from layer 1 halts commitments instead of being left
 * out. Conservation (locked ADA = balances + pending exits + unabsorbed deposits) is checked after
 * every round.
 */
import { describe, expect, it } from 'vitest'
import { Data, type UTxO } from '@lucid-evolution/lucid'
import { toHex } from '../../sdk/src/core/bytes.js'
import { anchorDatumFromData, buildRefundTx, depositDatumToData } from '../../sdk/src/l1/index.js'
import type { User } from '../../sdk/test/support/world.js'
import type { LagoonNode } from '../../sequencer/src/node/openNode.js'
import { conservationOf } from './support/gatherConservation.js'
import { replayNodeLog } from './support/replayNodeLog.js'
import { ADA, anchorOf, disposeWorld, l1World, l2tx, openWorldNode, registerAll, worldChain, type L1World } from './support/l1World.js'
import type { FaultyChain } from './support/FaultyChain.js'

const MARGIN = 3_600_000 // TEST_L1.absorptionMarginMs

/** Locks each of `amounts` as its own deposit from `u`'s wallet, 60 outputs a tx (a block each); returns the deposits. */
async function depositMany(w: L1World, u: User, amounts: bigint[], refundInMs: number): Promise<UTxO[]> {
  const datum = Data.to(depositDatumToData({ owner: toHex(u.account), refundAfter: BigInt(w.devnet.now() + refundInMs) }))
  const before = new Set((await w.devnet.getUtxos(w.scripts.depositAddress)).map((d) => `${d.txHash}#${d.outputIndex}`))
  w.lucid.selectWallet.fromPrivateKey(u.walletKey)
  try {
    for (let i = 0; i < amounts.length; i += 60) {
      let tx = w.lucid.newTx()
      for (const a of amounts.slice(i, i + 60)) tx = tx.pay.ToContract(w.scripts.depositAddress, { kind: 'inline', value: datum }, { lovelace: a })
      await w.devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
      w.devnet.awaitBlock(1)
    }
  } finally {
    w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
  }
  return (await w.devnet.getUtxos(w.scripts.depositAddress)).filter((d) => !before.has(`${d.txHash}#${d.outputIndex}`))
}

const credited = (node: LagoonNode) => node.db.prepare(`SELECT count(*) FROM deposits WHERE status = 'credited'`).pluck().get() as number
const waiting = (node: LagoonNode) => node.metrics.render().match(/^lagoon_l1_deposits_waiting (\d+)$/m)?.[1]

/**
 * Rounds of (poll, one block) until every deposit at the address is absorbed: conservation after each
 * round, never more credited at once than one commit absorbs, every commit within that bound.
 */
async function absorbAll(w: L1World, node: LagoonNode, chain: FaultyChain, perCommit: number): Promise<{ rounds: number; maxWaiting: number }> {
  let maxWaiting = 0
  for (let round = 1; round <= 60; round++) {
    // A full chunk is posted at once (the poster's own rule); the last, partial one when the batch
    // interval passes — forced here, as the tests' interval is endless.
    const inFlight = node.l1!.poster.batches().some((b) => b.status === 'pending' || b.status === 'submitted')
    if (credited(node) > 0 && Number(waiting(node) ?? 0) === 0 && !inFlight) node.l1!.poster.forceBatch()
    await node.l1!.tick()
    expect(credited(node)).toBeLessThanOrEqual(perCommit)
    maxWaiting = Math.max(maxWaiting, Number(waiting(node) ?? 0))
    const c = await conservationOf(node, chain, w.scripts)
    expect(c.ok, `round ${round}: ${c.summary}`).toBe(true)
    if ((await w.devnet.getUtxos(w.scripts.depositAddress)).length === 0 && credited(node) === 0) return { rounds: round, maxWaiting }
    w.devnet.awaitBlock(1)
  }
  throw new Error('the deposits were not all absorbed in 60 rounds')
}

describe('deposits in bounded chunks, a gone deposit halts commitments (strict devnet, real node)', () => {
  it("the issue's flood: 200 deposits of 1.2 ADA and one of 600 are absorbed in chunks; her exit is paid only from her own ADA", { timeout: 900_000 }, async () => {
    const w = await l1World(2)
    const chain = await worldChain(w)
    const node = await openWorldNode(w, chain, { maxDepositsPerCommit: 100 })
    try {
      await registerAll(w, node)
      const [attacker, victim] = w.users as [User, User]
      await depositMany(w, victim, [900n * ADA], 3 * 3_600_000)
      const mine = await depositMany(w, attacker, [...Array.from({ length: 200 }, () => 1_200_000n), 600n * ADA], 2 * 3_600_000)
      expect(mine).toHaveLength(201)
      w.devnet.awaitBlock(3)
      const { maxWaiting } = await absorbAll(w, node, chain, 100)
      expect(maxWaiting).toBeGreaterThan(0) // some deposits did wait for room
      const commits = node.l1!.poster.batches().filter((b) => b.deposits.length > 0)
      expect(commits.length).toBeGreaterThanOrEqual(3)
      for (const b of commits) expect(b.deposits.length).toBeLessThanOrEqual(100)
      expect(commits.reduce((s, b) => s + b.deposits.length, 0)).toBe(202)
      // Every deposit was absorbed before its refund time: nothing is left to take back.
      expect(await w.devnet.getUtxos(w.scripts.depositAddress)).toEqual([])
      const lockedBefore = (await anchorOf(w)).assets.lovelace!
      expect(lockedBefore).toBe(2n * ADA + 900n * ADA + 200n * 1_200_000n + 600n * ADA)

      // She withdraws 690 ADA of her 840: the poster pays it; the anchor still backs the victim's 900.
      await node.sequencer.submitTx(l2tx(w, attacker, 0, [{ type: 'withdraw', amount: 690n * ADA }]).bytes)
      node.l1!.poster.forceBatch()
      for (let i = 0; i < 10 && (await anchorOf(w)).assets.lovelace! === lockedBefore; i++) {
        await node.l1!.tick()
        w.devnet.awaitBlock(1)
      }
      w.devnet.awaitBlock(3)
      await node.l1!.tick()
      expect((await anchorOf(w)).assets.lovelace).toBe(lockedBefore - 690n * ADA)
      const c = await conservationOf(node, chain, w.scripts)
      expect(c.ok, c.summary).toBe(true)
      expect(c.difference).toBe(0n)
    } finally {
      await node.close()
      disposeWorld(w)
    }
  })

  it('bursts of 100 and then 500 honest deposits are absorbed within the margin, conservation after each round', { timeout: 900_000 }, async () => {
    const w = await l1World(5)
    const chain = await worldChain(w)
    // Chunks of 50 (the default is 100): the same rule, and half the local evaluation, which grows with
    // the square of a commit's inputs (each script is handed the whole tx).
    const node = await openWorldNode(w, chain, { maxDepositsPerCommit: 50 })
    try {
      await registerAll(w, node)
      for (const burst of [[100], [100, 100, 100, 100, 100]]) {
        const start = w.devnet.now()
        const made: UTxO[] = []
        for (const [i, n] of burst.entries()) made.push(...(await depositMany(w, w.users[i]!, Array.from({ length: n }, (_, k) => 2n * ADA + BigInt(k)), 3 * 3_600_000)))
        expect(made).toHaveLength(burst.reduce((a, b) => a + b, 0))
        w.devnet.awaitBlock(3)
        await absorbAll(w, node, chain, 50)
        // Every deposit was credited while its refund time was beyond now + the margin, and absorbed before it.
        expect(w.devnet.now() - start).toBeLessThan(3 * 3_600_000 - MARGIN)
      }
      const total = replayNodeLog(node).accounts.reduce((s, a) => s + a.balance, 0n)
      expect((await anchorOf(w)).assets.lovelace).toBe(2n * ADA + total)
      expect(node.l1!.poster.batches().every((b) => b.deposits.length <= 50)).toBe(true)
    } finally {
      await node.close()
      disposeWorld(w)
    }
  })

  it('a credited deposit refunded after the margin (commits failing meanwhile) halts commitments: no root holding its credit is committed', { timeout: 300_000 }, async () => {
    const w = await l1World(2)
    const chain = await worldChain(w)
    const node = await openWorldNode(w, chain)
    try {
      await registerAll(w, node)
      const [attacker, victim] = w.users as [User, User]
      // Batch 1, honest: the victim's 100 ADA absorbed.
      await depositMany(w, victim, [100n * ADA], 3 * 3_600_000)
      w.devnet.awaitBlock(3)
      await absorbAll(w, node, chain, 100)
      const batch1 = node.l1!.poster.lastConfirmed()!
      expect(batch1.number).toBe(1)

      // Her 50 ADA is credited (refundable in 70 minutes, beyond the 1 h margin); every commit then fails.
      const [dep] = await depositMany(w, attacker, [50n * ADA], 70 * 60_000)
      w.devnet.awaitBlock(3)
      await node.l1!.tick()
      expect(credited(node)).toBe(1)
      await node.sequencer.submitTx(l2tx(w, attacker, 0, [{ type: 'transfer', to: victim.account, amount: 50n * ADA }]).bytes)
      chain.nextSubmits.push(...Array.from({ length: 1000 }, () => 'fail' as const))
      node.l1!.poster.forceBatch()
      for (let i = 0; i < 3; i++) {
        await node.l1!.tick()
        w.devnet.awaitBlock(1)
      }
      expect(anchorDatumFromData((await anchorOf(w)).datum!).batch).toBe(1n)

      // After her refund time she takes the deposit back on layer 1; the provider works again.
      w.devnet.awaitSlot(75 * 60)
      w.lucid.selectWallet.fromPrivateKey(attacker.walletKey)
      const refund = buildRefundTx(w.lucid, w.scripts, [dep!], w.devnet.now())
      await w.devnet.submitTx((await (await refund.complete()).sign.withWallet().complete()).toCBOR())
      w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
      chain.nextSubmits.length = 0
      for (let i = 0; i < 8; i++) {
        w.devnet.awaitBlock(1)
        await node.l1!.tick()
      }

      // Halted, and says so; the anchor still holds batch 1, whose root is exactly backed.
      expect(node.l1!.poster.halted).toMatchObject({ reason: 'DEPOSIT_GONE', outRefs: [`${dep!.txHash}#${dep!.outputIndex}`] })
      expect(node.metrics.render()).toMatch(/^lagoon_l1_halted 1$/m)
      const a = await anchorOf(w)
      const d = anchorDatumFromData(a.datum!)
      expect(d.batch).toBe(1n)
      expect(d.root).toBe(batch1.root)
      const atBatch1 = replayNodeLog(node, batch1.lastSeq)
      expect(atBatch1.root).toBe(batch1.root)
      const committed = atBatch1.accounts.reduce((s, x) => s + x.balance + x.pendingExit, 0n)
      expect(a.assets.lovelace).toBe(2n * ADA + committed)
      // What committing the log's tip would have done: 50 ADA owed that the anchor never got.
      const tip = await conservationOf(node, chain, w.scripts)
      expect(tip.difference).toBe(-50n * ADA)
      expect(chain.submits.filter((s) => s.fault === 'ok')).toHaveLength(1) // batch 1's commit only
    } finally {
      await node.close()
      disposeWorld(w)
    }
  })

  it('a credited deposit refunded before any batch held it (no batch due for longer than the margin) halts the next batch', { timeout: 300_000 }, async () => {
    const w = await l1World(1)
    const chain = await worldChain(w)
    const node = await openWorldNode(w, chain)
    try {
      await registerAll(w, node)
      const [attacker] = w.users as [User]
      const [dep] = await depositMany(w, attacker, [40n * ADA], 70 * 60_000)
      w.devnet.awaitBlock(3)
      await node.l1!.tick()
      expect(credited(node)).toBe(1)
      expect(node.l1!.poster.batches()).toEqual([]) // the tests' batch interval is endless: no batch yet
      w.devnet.awaitSlot(75 * 60)
      w.lucid.selectWallet.fromPrivateKey(attacker.walletKey)
      await w.devnet.submitTx((await (await buildRefundTx(w.lucid, w.scripts, [dep!], w.devnet.now()).complete()).sign.withWallet().complete()).toCBOR())
      w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
      node.l1!.poster.forceBatch()
      for (let i = 0; i < 4; i++) {
        w.devnet.awaitBlock(1)
        await node.l1!.tick()
      }
      expect(node.l1!.poster.halted).toMatchObject({ reason: 'DEPOSIT_GONE', batch: 1, outRefs: [`${dep!.txHash}#${dep!.outputIndex}`] })
      expect(node.l1!.poster.batches()).toEqual([])
      expect(anchorDatumFromData((await anchorOf(w)).datum!).batch).toBe(0n)
    } finally {
      await node.close()
      disposeWorld(w)
    }
  })

  it('a credited deposit that a provider leaves out of its listing for a while halts commitments only until it is listed again', { timeout: 300_000 }, async () => {
    const w = await l1World(1)
    const chain = await worldChain(w)
    const node = await openWorldNode(w, chain)
    try {
      await registerAll(w, node)
      const [u] = w.users as [User]
      const [dep] = await depositMany(w, u, [40n * ADA], 3 * 3_600_000)
      const ref = `${dep!.txHash}#${dep!.outputIndex}`
      w.devnet.awaitBlock(3)
      await node.l1!.tick()
      expect(credited(node)).toBe(1)
      chain.hidden.add(ref)
      node.l1!.poster.forceBatch()
      for (let i = 0; i < 2; i++) {
        await node.l1!.tick()
        w.devnet.awaitBlock(1)
      }
      expect(node.l1!.poster.halted).toMatchObject({ reason: 'DEPOSIT_GONE', outRefs: [ref] })
      chain.hidden.delete(ref)
      const c = await absorbAll(w, node, chain, 100)
      expect(c.rounds).toBeGreaterThan(0)
      expect(node.l1!.poster.halted).toBeNull()
      expect(anchorDatumFromData((await anchorOf(w)).datum!).batch).toBe(1n)
      expect((await anchorOf(w)).assets.lovelace).toBe(42n * ADA)
    } finally {
      await node.close()
      disposeWorld(w)
    }
  })
})
