import { describe, expect, it } from 'vitest'
import { toHex } from '../../sdk/src/core/bytes.js'
import { assertConservation, checkConservation, ConservationError } from '../../sdk/src/conservation/checkConservation.js'
import { buildDepositTx, buildRefundTx } from '../../sdk/src/l1/index.js'
import { ADA, disposeWorld, l1World, l2tx, openWorldNode, registerAll, worldChain } from './support/l1World.js'
import { conservationOf } from './support/gatherConservation.js'
import { auditWithL1, devnetReader } from '../../sdk/src/audit/l1/index.js'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { createLagoonClient } from '../../sdk/src/index.js'
import { createNodeEd25519Verify } from '../../sdk/src/node/createNodeEd25519Verify.js'
import { startServer, type RunningServer } from '../../sequencer/src/node/startServer.js'

describe('checkConservation', () => {
  it('balances both sides exactly; reports the difference and its sign', () => {
    const ok = checkConservation({ anchorLovelace: 52n * ADA, unabsorbedDeposits: [3n * ADA], balances: [40n * ADA, 6n * ADA], pendingExits: [4n * ADA, 3n * ADA], exitsPaidUnrecorded: 0n })
    expect(ok).toMatchObject({ ok: true, layer1: 53n * ADA, layer2: 53n * ADA, difference: 0n })
    const owed = checkConservation({ anchorLovelace: 2n * ADA, unabsorbedDeposits: [], balances: [1n], pendingExits: [] })
    expect(owed).toMatchObject({ ok: false, difference: -1n })
    expect(owed.summary).toContain('difference -1')
    expect(() => assertConservation({ anchorLovelace: 2n * ADA + 1n, unabsorbedDeposits: 0n, balances: 0n, pendingExits: 0n })).toThrow(ConservationError)
    try {
      assertConservation({ anchorLovelace: 0n, reserveLovelace: 0n, unabsorbedDeposits: 0n, balances: 5n, pendingExits: 0n })
    } catch (e) {
      expect((e as ConservationError).code).toBe('CONSERVATION_VIOLATED')
    }
    // An exit paid on layer 1 before the log records it: the anchor shrank, layer 2 still shows it pending.
    expect(checkConservation({ anchorLovelace: 48n * ADA, unabsorbedDeposits: 0n, balances: [46n * ADA], pendingExits: [4n * ADA], exitsPaidUnrecorded: 4n * ADA }).ok).toBe(true)
  })

  it('catches a real violation: a deposit credited without the absorption margin, then refunded by its owner before any commitment', async () => {
    const w = await l1World(2)
    const chain = await worldChain(w)
    // absorptionMarginMs 0: the node credits a deposit refundable in 10 minutes (what the margin forbids).
    const node = await openWorldNode(w, chain, { absorptionMarginMs: 0 })
    let running: RunningServer | undefined
    try {
      running = await startServer(node, '127.0.0.1', 0)
      const ctx = { params: node.params, hash: await loadBlake2b256(), verifyEd25519: createNodeEd25519Verify() }
      const audit = () => auditWithL1({ client: createLagoonClient({ url: running!.url }), ctx, l1: devnetReader(w.devnet), instance: w.scripts })
      await registerAll(w, node)
      const [alice, bob] = w.users
      w.lucid.selectWallet.fromPrivateKey(alice!.walletKey)
      const tx = buildDepositTx(w.lucid, w.scripts, { owner: toHex(alice!.account), refundAfter: BigInt(w.devnet.now() + 600_000) }, 20n * ADA)
      await w.devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
      w.devnet.awaitBlock(3)
      await node.l1!.tick()
      await node.sequencer.submitTx(l2tx(w, alice!, 0, [{ type: 'transfer', to: bob!.account, amount: 5n * ADA }]).bytes)
      const before = await conservationOf(node, chain, w.scripts)
      expect(before.ok, before.summary).toBe(true)
      // The auditor states the same equation from the log and layer 1 alone.
      const passed = await audit()
      expect(passed.divergence).toBeUndefined()
      expect(passed.conservation).toMatchObject({ ok: true, settled: true, layer1: before.layer1, layer2: before.layer2, unabsorbedDeposits: 20n * ADA })
      // Alice takes the deposit back on layer 1 after its refund time; layer 2 still holds her 20 ADA.
      w.devnet.awaitSlot(700)
      const dep = (await w.devnet.getUtxos(w.scripts.depositAddress))[0]!
      const refund = buildRefundTx(w.lucid, w.scripts, [dep], w.devnet.now())
      await w.devnet.submitTx((await (await refund.complete()).sign.withWallet().complete()).toCBOR())
      w.devnet.awaitBlock(1)
      const after = await conservationOf(node, chain, w.scripts)
      expect(after.ok).toBe(false)
      expect(after.difference).toBe(-20n * ADA)
      // Every other check passes (the credit's output existed); the statement alone fails: exit 3.
      const failed = await audit()
      expect(failed.events).toMatchObject({ ok: true, creditsChecked: 1 })
      expect(failed.conservation).toMatchObject({ ok: false, settled: true, difference: -20n * ADA, layer2: after.layer2 })
      expect(failed.divergence).toMatchObject({ kind: 'CONSERVATION_MISMATCH', expected: String(after.layer2), found: String(after.layer1) })
    } finally {
      w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
      if (running) await running.stop()
      else await node.close()
      disposeWorld(w)
    }
  })
})
