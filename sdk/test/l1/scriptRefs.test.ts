/**
 * Reference-script UTxOs deployed at the instance's refs address (`buildDeployRefsTx`) and found again by
 * anyone (`findScriptRefs`): a commit absorbing a deposit and a withdraw read the scripts (and the
 * withdraw the empty-hash table) from them, pay the ledger's minimum fee, and the strict devnet
 * accepts them; the deployed UTxOs cannot be spent, so they stay; look-alikes are not picked.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Data, type UTxO } from '@lucid-evolution/lucid'
import {
  anchorRedeemerFromData,
  anchorRedeemerToData,
  buildCommitTx,
  buildDeployRefsTx,
  buildWithdrawTx,
  EMPTY_HASHES,
  findScriptRefs,
  refsAddress,
  sequentialExits,
  type LagoonScripts,
  type ScriptRefs,
} from '../../src/l1/index.js'
import { toHex } from '../../src/core/bytes.js'
import { ADA, creditDeposits, expectRejected, hash, openInstance, requestExit, submit, treeOf, utxoAt, world, type World } from './helpers.js'

describe('reference-script UTxOs at the refs address', () => {
  let w: World
  let scripts: LagoonScripts
  let anchor: () => Promise<UTxO>
  let refs: ScriptRefs

  beforeAll(async () => {
    w = await world(2)
    ;({ scripts, anchor } = await openInstance(w, { deposit: 20n * ADA }))
    // A look-alike first: the anchor script with another datum is not the table the withdraw needs.
    await submit(w, w.lucid.newTx().pay.ToAddressWithData(refsAddress('Custom', scripts), { kind: 'inline', value: Data.to(EMPTY_HASHES.slice(2)) }, {}, scripts.anchor))
    await submit(w, buildDeployRefsTx(w.lucid, scripts).tx)
    refs = findScriptRefs(await utxoAt(w, refsAddress('Custom', scripts)), scripts)
  })

  it('finds the deployed anchor (with the empty hashes) and deposit scripts, not the look-alike', () => {
    expect(refsAddress('Custom', scripts)).not.toBe(scripts.anchorAddress)
    expect(refs.anchor?.scriptRef?.script).toBe(scripts.anchor.script)
    expect(Data.from(refs.anchor!.datum!)).toBe(EMPTY_HASHES)
    expect(refs.deposit?.scriptRef?.script).toBe(scripts.deposit.script)
    expect(findScriptRefs([], scripts)).toEqual({})
  })

  it('a commit and a withdraw read them and pay less than with the scripts attached', async () => {
    const deposits = await utxoAt(w, scripts.depositAddress)
    creditDeposits(w, deposits)
    requestExit(w, w.users[0]!, 5n * ADA)
    const commit = (r?: ScriptRefs) =>
      buildCommitTx(w.lucid, scripts, { anchor: a, deposits, root: toHex(w.ledger.state.root()), logHead: toHex(w.ledger.head), logSeq: BigInt(w.ledger.seq), now: w.devnet.now(), ...(r ? { refs: r } : {}) }).tx
    let a = await anchor()
    const attachedFee = (await commit().complete()).toTransaction().body().fee()
    const done = await commit(refs).complete()
    const t = done.toTransaction()
    expect(t.body().reference_inputs()?.len()).toBe(2)
    expect(t.body().fee()).toBeLessThan(attachedFee)
    await submit(w, commit(refs))

    a = await anchor()
    const { tree, leaves } = treeOf(w.ledger)
    const { exits, root } = sequentialExits(hash, tree, leaves.filter((l) => l.leaf.pendingExit > 0n), false)
    const withdraw = (r?: ScriptRefs) => buildWithdrawTx(w.lucid, scripts, { anchor: a, exits, newRoot: root, ...(r ? { refs: r } : {}) }).tx
    const attached = (await withdraw().complete()).toTransaction()
    const read = (await withdraw(refs).complete()).toTransaction()
    const sent = read.witness_set().redeemers()!.as_arr_legacy_redeemer()!.get(0).data().to_cbor_hex()
    expect(anchorRedeemerFromData(Data.from(sent))).toMatchObject({ type: 'withdraw', empties: '' })
    expect(read.body().fee()).toBeLessThan(attached.body().fee())
    await submit(w, withdraw(refs))
    expect((await anchor()).assets.lovelace).toBe(a.assets.lovelace! - 5n * ADA)
  })

  it('cannot be spent (no state token), so they stay for the instance', async () => {
    const tx = w.lucid.newTx().collectFrom([refs.anchor!], Data.to(anchorRedeemerToData({ type: 'freeze' }))).attach.SpendingValidator(scripts.anchor)
    await expectRejected(w, tx, 'anchor: input holds no state token')
    expect(findScriptRefs(await utxoAt(w, refsAddress('Custom', scripts)), scripts)).toEqual(refs)
    // The anchor's own address holds only the anchor.
    expect((await utxoAt(w, scripts.anchorAddress)).map((u) => u.assets[scripts.unit])).toEqual([1n])
  })
})
