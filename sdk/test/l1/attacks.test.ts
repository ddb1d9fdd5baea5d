/**
 * Attacks refused by `complete()`'s local evaluation and, built with fixed ex-units, by the strict
 * devnet: on the debug and the release build (refusal.ts).
 */
import { beforeAll, describe, it } from 'vitest'
import { Data, type UTxO } from '@lucid-evolution/lucid'

import {
  buildExodusWithdrawTx,
  buildFreezeTx,
  buildRefundTx,
  buildWithdrawTx,
  DepositRedeemer,
  sequentialExits,
  anchorDatumFromData,
  anchorDatumToData,
  anchorRedeemerToData,
  depositsHash,
  slotStart,
  type LagoonScripts,
} from '../../src/l1/index.js'
import { ADA, BUILDS, commitLedger, creditDeposits, depositFrom, expectRejected, hash, openInstance, requestExit, submit, treeOf, utxoAt, world, type World } from './helpers.js'

describe.each(BUILDS)('attacks (%s build: each rejected for its reason)', (build) => {
  let w: World
  let scripts: LagoonScripts
  let anchor: () => Promise<UTxO>
  let spareDeposit: UTxO
  beforeAll(async () => {
    w = await world(2, build)
    ;({ scripts, anchor } = await openInstance(w, { deposit: 20n * ADA }))
    const deposits = await utxoAt(w, scripts.depositAddress)
    creditDeposits(w, deposits)
    requestExit(w, w.users[0]!, 5n * ADA)
    requestExit(w, w.users[1]!, 6n * ADA)
    await submit(w, await commitLedger(w, scripts, await anchor(), deposits))
    // One more deposit, not absorbed.
    await depositFrom(w, scripts, w.users[0]!, 10n * ADA)
    spareDeposit = (await utxoAt(w, scripts.depositAddress))[0]!
  })

  const exitsNow = (exodus = false) => {
    const { tree, leaves } = treeOf(w.ledger)
    return sequentialExits(hash, tree, leaves.filter((l) => (exodus ? l.leaf.balance : 0n) + l.leaf.pendingExit > 0n), exodus)
  }

  it('wrong proof (a sibling changed)', async () => {
    const { exits, root } = exitsNow()
    const bad = exits.slice(0, 1).map((e) => ({ ...e, proof: { ...e.proof, siblings: e.proof.siblings.map((b, i) => (i === 0 ? b ^ 1 : b)) } }))
    await expectRejected(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: bad, newRoot: root }).tx, 'exit: proof does not match the root')
  })
  it('proof for another account (leaf of account A at index of B)', async () => {
    const { exits, root } = exitsNow()
    const bad = [{ leaf: exits[0]!.leaf, proof: exits[1]!.proof }]
    await expectRejected(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: bad, newRoot: root }).tx, 'exit: proof does not match the root')
  })
  it('same exit twice in one tx', async () => {
    const { exits, root } = exitsNow()
    await expectRejected(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: [exits[0]!, exits[0]!], newRoot: root }).tx, 'exit: proof does not match the root')
  })
  it('exit with a wrong new root in the continuing datum', async () => {
    const { exits } = exitsNow()
    await expectRejected(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: exits.slice(0, 1), newRoot: '00'.repeat(32) }).tx, 'withdraw: datum must change only in root')
  })
  it('exodus withdraw while active', async () => {
    const { exits, root } = exitsNow(true)
    await expectRejected(w, buildExodusWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits, newRoot: root }).tx, 'exodus: anchor is not frozen')
  })
  it('freeze before the timeout', async () => {
    await expectRejected(w, buildFreezeTx(w.lucid, scripts, await anchor(), w.devnet.now()).tx, 'freeze: exodus timeout not reached')
  })
  it('a deposit spent without a commit', async () => {
    const tx = w.lucid.newTx().collectFrom([spareDeposit], DepositRedeemer.absorb).attach.SpendingValidator(scripts.deposit)
    await expectRejected(w, tx, 'deposit: the anchor is not spent')
  })
  it('a refund before its time', async () => {
    w.lucid.selectWallet.fromPrivateKey(w.users[0]!.walletKey)
    try {
      await expectRejected(w, buildRefundTx(w.lucid, scripts, [spareDeposit], w.devnet.now()), 'deposit: refund before its time')
    } finally {
      w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
    }
  })
  it('a refund by someone else (not the owner)', async () => {
    const tx = w.lucid.newTx().collectFrom([spareDeposit], DepositRedeemer.refund).attach.SpendingValidator(scripts.deposit).validFrom(w.devnet.now())
    await expectRejected(w, tx, 'deposit: refund not signed by the owner')
  })
  it('commit not signed by the operator', async () => {
    const a = await anchor()
    const old = anchorDatumFromData(a.datum!)
    const lower = slotStart(w.lucid, w.devnet.now())
    const datum = { ...old, batch: old.batch + 1n, lastCommit: BigInt(lower), depositsHash: depositsHash([]) }
    const tx = w.lucid
      .newTx()
      .collectFrom([a], Data.to(anchorRedeemerToData({ type: 'commit' })))
      .pay.ToContract(scripts.anchorAddress, { kind: 'inline', value: Data.to(anchorDatumToData(datum)) }, a.assets)
      .validFrom(lower)
      .attach.SpendingValidator(scripts.anchor)
    await expectRejected(w, tx, 'commit: not signed by the operator')
  })
})
