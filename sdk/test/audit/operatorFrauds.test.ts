/**
 * Issue 14, items 1 and 2: a malicious operator (a real node whose sequencer is driven to insert tasks)
 * credits a deposit layer 1 never had, or records an exit as paid that layer 1 never paid. The auditor
 * checks every credit and every `exitPaid` against layer 1 (the strict devnet), and says so.
 */
import { describe, expect, it } from 'vitest'
import { toHex } from '../../src/core/bytes.js'
import { loadBlake2b256 } from '../../src/core/crypto/blake2b256.js'
import type { ApplyContext } from '../../src/core/state/types.js'
import { createNodeEd25519Verify } from '../../src/node/createNodeEd25519Verify.js'
import { createLagoonClient } from '../../src/index.js'
import { auditWithL1, checkLogEventsOnL1, devnetReader, readAnchorHistory, verifyExitPayout } from '../../src/audit/l1/index.js'
import { ADA, commitBatch, deposit, honestHistory, l1World, l2tx, startL1Node, submit, type L1World } from './l1World.js'
import { phantomDeposit, phantomExit } from './frauds.js'

async function honestWorld() {
  const w = await l1World()
  const n = await startL1Node(w)
  await honestHistory(w, n.url, n.node)
  const ctx: ApplyContext = { params: n.node.params, hash: await loadBlake2b256(), verifyEd25519: createNodeEd25519Verify() }
  const audit = () => auditWithL1({ client: createLagoonClient({ url: n.url }), ctx, l1: devnetReader(w.devnet), instance: w.scripts })
  return { w, ...n, ctx, audit }
}

const withdrawals = async (url: string, account: Uint8Array) => (await (await fetch(`${url}/accounts/${toHex(account)}/withdrawals`)).json()) as { amount: string; status: string; paidTx?: string }[]

describe('a phantom deposit: credited by the operator, never on layer 1', () => {
  it('is a divergence in the open tail (DEPOSIT_NOT_ON_L1), and once a commitment passes it without absorbing it (DEPOSIT_NOT_ABSORBED); conservation shows the hole', async () => {
    const h = await honestWorld()
    try {
      const honest = await h.audit()
      expect(honest.ok).toBe(true)
      expect(honest.conservation).toMatchObject({ ok: true, settled: true, difference: 0n, anchorLovelace: 55n * ADA, reserveLovelace: 2n * ADA, balances: 53n * ADA, pendingExits: 0n })

      const bob = h.w.users[1]!
      const phantom = await phantomDeposit(h.node, bob, 30n * ADA)
      const tail = await h.audit()
      expect(tail.ok).toBe(false)
      expect(tail.divergence).toMatchObject({ kind: 'DEPOSIT_NOT_ON_L1', seq: phantom.seq, outRef: phantom.outRef, found: `layer 1 does not know tx ${phantom.outRef.split('#')[0]}` })
      expect(tail.events).toMatchObject({ ok: false, creditsChecked: 0 })

      // Bob withdraws the phantom ADA; batch 3 commits without absorbing it; the poster pays him from the anchor.
      await h.node.l1!.tick()
      await submit(h.url, l2tx(h.w, bob, 1, [{ type: 'withdraw', amount: 40n * ADA }]))
      const batch = await commitBatch(h.w, h.node)
      const r = await h.audit()
      expect(r.ok).toBe(false)
      expect(r.divergence).toMatchObject({ kind: 'DEPOSIT_NOT_ABSORBED', seq: phantom.seq, batch, outRef: phantom.outRef })
      expect(r.divergence!.message).toContain(`inside batch ${batch}'s range`)
      // The money: layer 2 owes 30 ADA more than layer 1 holds for it.
      expect(r.conservation).toMatchObject({ settled: true, ok: false, difference: -30n * ADA })
    } finally {
      await h.running.stop()
    }
  }, 180_000)

  it('checks each credit’s output on layer 1: the right tx, the deposit address, the owner, the amount (real devnet outputs)', async () => {
    const w: L1World = await l1World()
    const [alice, bob] = w.users as [NonNullable<L1World['users'][0]>, NonNullable<L1World['users'][1]>]
    const dep = await deposit(w, alice, 9n * ADA)
    w.devnet.awaitBlock(1)
    const l1 = devnetReader(w.devnet)
    const steps = await readAnchorHistory({ l1, instance: w.scripts })
    const check = (outRef: string, owner: Uint8Array, amount: bigint) =>
      checkLogEventsOnL1({ l1, instance: w.scripts, steps, credits: [{ outRef, seq: 7, owner: toHex(owner), amount }], exits: new Map() })
    expect(await check(`${dep}#0`, alice.account, 9n * ADA)).toMatchObject({ ok: true, creditsChecked: 1 })
    const cases: [string, Uint8Array, bigint, RegExp][] = [
      [`${dep}#0`, alice.account, 90n * ADA, /holds 9000000 lovelace/],
      [`${dep}#0`, bob.account, 9n * ADA, new RegExp(`datum names owner ${toHex(alice.account)}`)],
      [`${dep}#1`, alice.account, 9n * ADA, /is not at the instance's deposit address/], // the change output
      [`${dep}#7`, alice.account, 9n * ADA, /has no output 7/],
      [`${'ee'.repeat(32)}#0`, alice.account, 9n * ADA, /layer 1 does not know tx/],
    ]
    for (const [outRef, owner, amount, why] of cases) {
      const r = await check(outRef, owner, amount)
      expect(r.ok).toBe(false)
      if (r.ok) continue
      expect(r.divergence).toMatchObject({ kind: 'DEPOSIT_NOT_ON_L1', seq: 7, outRef })
      expect(r.divergence.message).toMatch(why)
    }
  }, 60_000)
})

describe('a phantom exit payment: recorded by the operator, never paid on layer 1', () => {
  it('is a divergence (EXIT_NOT_ON_L1) whether the tx it names is made up or a real Withdraw that paid someone else', async () => {
    const h = await honestWorld()
    try {
      const [alice, bob] = h.w.users as [NonNullable<L1World['users'][0]>, NonNullable<L1World['users'][1]>]
      const bobsPayout = (await withdrawals(h.url, bob.account))[0]!.paidTx!
      await submit(h.url, l2tx(h.w, alice, 2, [{ type: 'withdraw', amount: 5n * ADA }]))
      // The operator says Bob's real payout tx paid Alice 5 ADA: the node (and a relay) now show "paid".
      const seq = await phantomExit(h.node, alice, 5n * ADA, bobsPayout)
      expect(await withdrawals(h.url, alice.account)).toMatchObject([{ amount: String(5n * ADA), status: 'paid', paidTx: bobsPayout }])
      await commitBatch(h.w, h.node) // the root has Alice's exit at 0: the poster has nothing to pay her
      const r = await h.audit()
      expect(r.ok).toBe(false)
      expect(r.divergence).toMatchObject({ kind: 'EXIT_NOT_ON_L1', seq, account: toHex(alice.account), l1Tx: bobsPayout })
      expect(r.divergence!.message).toMatch(/its Withdraw redeemer pays no exit to/)
      // Layer 1 still holds the 5 ADA layer 2 no longer owes her.
      expect(r.conservation).toMatchObject({ settled: true, difference: 5n * ADA })
    } finally {
      await h.running.stop()
    }
  }, 180_000)

  it('verifyExitPayout and the audit’s exit check read the tx on layer 1: unknown, not an anchor spend, not a Withdraw, not that account, not that much', async () => {
    const h = await honestWorld()
    try {
      const [alice, bob] = h.w.users as [NonNullable<L1World['users'][0]>, NonNullable<L1World['users'][1]>]
      const l1 = devnetReader(h.w.devnet)
      const steps = await readAnchorHistory({ l1, instance: h.w.scripts })
      const payout = steps.find((s) => s.kind === 'withdraw')!.txHash
      const commit = steps.find((s) => s.kind === 'commit')!.txHash
      const dep = await deposit(h.w, alice, 3n * ADA)
      h.w.devnet.awaitBlock(1)
      const v = (txHash: string, account: Uint8Array, amount: bigint) => verifyExitPayout({ l1, instance: h.w.scripts, txHash, account, amount })
      expect(await v(payout, bob.account, 4n * ADA)).toEqual({ seen: true, txHash: payout })
      expect(await v(payout, bob.account, 3n * ADA)).toMatchObject({ seen: true })
      expect(await v(payout, bob.account, 5n * ADA)).toMatchObject({ seen: false, reason: expect.stringMatching(/pays .* 4000000 lovelace, not an exit of 5000000/) })
      expect(await v(payout, alice.account, 1n * ADA)).toMatchObject({ seen: false, reason: expect.stringMatching(/pays no exit to/) })
      expect(await v(commit, bob.account, 4n * ADA)).toMatchObject({ seen: false, reason: expect.stringMatching(/with the commit redeemer, not Withdraw/) })
      expect(await v(dep, alice.account, 3n * ADA)).toMatchObject({ seen: false, reason: expect.stringMatching(/does not spend the instance's anchor/) })
      expect(await v('ab'.repeat(32), bob.account, 4n * ADA)).toMatchObject({ seen: false, reason: `layer 1 does not know tx ${'ab'.repeat(32)}` })
      expect(await v('not-a-hash', bob.account, 4n * ADA)).toMatchObject({ seen: false })
      // The audit's check, for a tx that is not in the anchor history it read (read from layer 1 then),
      // and one exit per exit: the same payout recorded twice is one too many.
      const exits = (list: [string, bigint, number][]) => new Map(list.map(([tx, amount, seq]) => [tx, [{ seq, account: toHex(bob.account), amount }]]))
      const made = await checkLogEventsOnL1({ l1, instance: h.w.scripts, steps: [], credits: [], exits: exits([['cd'.repeat(32), 4n * ADA, 11]]) })
      expect(made).toMatchObject({ ok: false, divergence: { kind: 'EXIT_NOT_ON_L1', seq: 11, l1Tx: 'cd'.repeat(32) } })
      const real = await checkLogEventsOnL1({ l1, instance: h.w.scripts, steps: [], credits: [], exits: exits([[payout, 4n * ADA, 9]]) })
      expect(real).toMatchObject({ ok: true, exitsPaidChecked: 1 })
      const twice = new Map([[payout, [{ seq: 9, account: toHex(bob.account), amount: 4n * ADA }, { seq: 12, account: toHex(bob.account), amount: 4n * ADA }]]])
      expect(await checkLogEventsOnL1({ l1, instance: h.w.scripts, steps, credits: [], exits: twice })).toMatchObject({ ok: false, exitsPaidChecked: 1, divergence: { kind: 'EXIT_NOT_ON_L1', seq: 12 } })
    } finally {
      await h.running.stop()
    }
  }, 180_000)
})

