import { describe, expect, it } from 'vitest'
import { fromHex, toHex } from '../../src/core/bytes.js'
import {
  anchorDatumFromData,
  buildCommitTx,
  buildDepositTx,
  buildExodusWithdrawTx,
  buildFreezeTx,
  buildInitTx,
  buildWithdrawTx,
  depositDatumFromData,
  sequentialExits,
  type LagoonScripts,
} from '../../src/l1/index.js'
import type { UTxO } from '@lucid-evolution/lucid'
import { ADA, registerAll, requestExit, submit, treeOf, utxoAt, world, hash, type World } from './helpers.js'

const TIMEOUT = 120_000n

async function init(w: World): Promise<{ scripts: LagoonScripts; anchor: () => Promise<UTxO> }> {
  const [seed] = await w.lucid.wallet().getUtxos()
  const { scripts, tx } = buildInitTx(w.lucid, { seed: seed!, operator: w.operatorKeyHash, exodusTimeout: TIMEOUT, now: w.devnet.now(), debug: !process.env.LAGOON_MEASURE })
  await submit(w, tx)
  const anchor = async () => {
    const us = (await utxoAt(w, scripts.anchorAddress)).filter((u) => (u.assets[scripts.unit] ?? 0n) === 1n)
    expect(us).toHaveLength(1)
    return us[0]!
  }
  return { scripts, anchor }
}

describe('lock → commit → withdraw → freeze → exodus on the strict devnet', () => {
  it('runs the whole life of an instance', async () => {
    const w = await world(3)
    const { scripts, anchor } = await init(w)
    expect(toHex(w.ledger.state.root())).toBe(anchorDatumFromData((await anchor()).datum!).root)
    registerAll(w)

    // Deposits by each user.
    const amounts = [20n * ADA, 30n * ADA, 15n * ADA]
    for (const [i, u] of w.users.entries()) {
      w.lucid.selectWallet.fromPrivateKey(u.walletKey)
      await submit(w, buildDepositTx(w.lucid, scripts, { owner: toHex(u.account), refundAfter: BigInt(w.devnet.now() + 3_600_000) }, amounts[i]!))
    }
    w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
    const deposits = await utxoAt(w, scripts.depositAddress)
    expect(deposits).toHaveLength(3)
    for (const d of deposits) {
      const r = w.ledger.submit({ kind: 'deposit', txHash: fromHex(d.txHash), index: d.outputIndex, owner: fromHex(depositDatumFromData(d.datum!).owner), amount: d.assets.lovelace! })
      expect(r.ok).toBe(true)
    }
    requestExit(w, w.users[0]!, 5n * ADA)
    requestExit(w, w.users[1]!, 7n * ADA)

    // Commit absorbing the three deposits.
    const before = await anchor()
    const { tx: commit } = buildCommitTx(w.lucid, scripts, { anchor: before, deposits, root: toHex(w.ledger.state.root()), logHead: toHex(w.ledger.head), logSeq: BigInt(w.ledger.seq), now: w.devnet.now() })
    await submit(w, commit)
    const a1 = await anchor()
    expect(a1.assets.lovelace).toBe(before.assets.lovelace! + 65n * ADA)
    expect(anchorDatumFromData(a1.datum!).batch).toBe(1n)

    // Two exits in one tx.
    const { tree, leaves } = treeOf(w.ledger)
    const items = leaves.filter((l) => l.leaf.pendingExit > 0n)
    const { exits, root } = sequentialExits(hash, tree, items, false)
    await submit(w, buildWithdrawTx(w.lucid, scripts, { anchor: a1, exits, newRoot: root }).tx)
    const a2 = await anchor()
    expect(a2.assets.lovelace).toBe(a1.assets.lovelace! - 12n * ADA)
    // The sequencer records the paid exits: its root is the one the validator computed.
    for (const e of exits) expect(w.ledger.submit({ kind: 'exitPaid', account: e.leaf.account, amount: e.leaf.pendingExit, txHash: new Uint8Array(32) }).ok).toBe(true)
    expect(toHex(w.ledger.state.root())).toBe(anchorDatumFromData(a2.datum!).root)

    // No commit for longer than the timeout: anyone freezes.
    w.devnet.awaitSlot(Number(TIMEOUT / 1000n) + 20)
    await submit(w, buildFreezeTx(w.lucid, scripts, a2, w.devnet.now()).tx)
    const a3 = await anchor()
    expect(anchorDatumFromData(a3.datum!).mode).toBe('frozen')

    // Exodus: everyone takes their whole balance.
    const t2 = treeOf(w.ledger)
    const ex = sequentialExits(hash, t2.tree, t2.leaves.filter((l) => l.leaf.balance + l.leaf.pendingExit > 0n), true)
    await submit(w, buildExodusWithdrawTx(w.lucid, scripts, { anchor: a3, exits: ex.exits, newRoot: ex.root }).tx)
    const a4 = await anchor()
    expect(a4.assets.lovelace).toBe(2_000_000n)
  })
})
