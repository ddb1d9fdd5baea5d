/**
 * The Withdraw redeemer's proof shape (explicit siblings, the empty hashes in the redeemer or in the
 * first reference input's datum): malformed or forged proofs, a table of empty hashes that is not 32
 * levels and leaves whose fields are not of their exact length or range are refused for their reason
 * (`complete()`'s local evaluation, then the strict devnet; debug and release build, refusal.ts), and
 * an honest withdraw that reads the empty hashes from the anchor's reference-script UTxO is accepted by
 * the strict devnet at the ledger's minimum fee.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { credentialToAddress, Data, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { toHex } from '../../src/core/bytes.js'
import {
  anchorDatumFromData,
  anchorDatumToData,
  anchorRedeemerFromData,
  buildWithdrawTx,
  EMPTY_HASHES,
  EMPTY_HASHES_DATUM,
  explicitProof,
  leafToData,
  sequentialExits,
  type ExitProof,
  type LagoonScripts,
} from '../../src/l1/index.js'
import { ADA, BUILDS, commitLedger, creditDeposits, expectRejected, hash, openInstance, requestExit, submit, treeOf, utxoAt, world, type World } from './helpers.js'

/** Withdraw redeemer CBOR from explicit parts: each exit as [leaf, index, siblings hex]. */
function redeemer(exits: { e: ExitProof; index?: bigint; siblings?: string }[], empties: string): string {
  const list = exits.map(({ e, index, siblings }) => {
    const p = explicitProof(e.proof)
    return `d8799f${Data.to(leafToData(e.leaf))}${Data.to(index ?? BigInt(p.index))}${Data.to(siblings ?? toHex(p.siblings))}ff`
  })
  return `d87a9f9f${list.join('')}ff${Data.to(empties)}ff`
}

describe.each(BUILDS)('proof-shape attacks on Withdraw (%s build: each rejected for its reason)', (build) => {
  let w: World
  let scripts: LagoonScripts
  let exits: ExitProof[]
  let newRoot: string
  let anchor: () => Promise<UTxO>
  const addressOf = (account: Uint8Array) => credentialToAddress('Custom', { type: 'Key', hash: toHex(account) })

  /** An otherwise honest withdraw of `paid` (the exits whose outputs it creates) with this redeemer. */
  const withRedeemer = async (cbor: string, paid: ExitProof[], read?: UTxO): Promise<TxBuilder> => {
    const a = await anchor()
    const total = paid.reduce((s, e) => s + e.leaf.pendingExit, 0n)
    let tx = w.lucid
      .newTx()
      .collectFrom([a], cbor)
      .pay.ToContract(scripts.anchorAddress, { kind: 'inline', value: Data.to(anchorDatumToData({ ...anchorDatumFromData(a.datum!), root: newRoot })) }, { ...a.assets, lovelace: a.assets.lovelace! - total })
    for (const e of paid) tx = tx.pay.ToAddress(addressOf(e.leaf.account), { lovelace: e.leaf.pendingExit })
    return read ? tx.readFrom([read]) : tx.attach.SpendingValidator(scripts.anchor)
  }
  /** A UTxO at an address nobody spends from, holding the (debug) anchor script and `datum`. */
  const refHolding = async (datum: string): Promise<UTxO> => {
    const holder = credentialToAddress('Custom', { type: 'Key', hash: 'ee'.repeat(28) })
    const before = new Set((await utxoAt(w, holder)).map((u) => `${u.txHash}#${u.outputIndex}`))
    await submit(w, w.lucid.newTx().pay.ToAddressWithData(holder, { kind: 'inline', value: datum }, {}, scripts.anchor))
    return (await utxoAt(w, holder)).find((u) => !before.has(`${u.txHash}#${u.outputIndex}`))!
  }

  beforeAll(async () => {
    w = await world(3, build)
    ;({ scripts, anchor } = await openInstance(w, { deposit: 20n * ADA }))
    const deposits = await utxoAt(w, scripts.depositAddress)
    creditDeposits(w, deposits)
    requestExit(w, w.users[0]!, 5n * ADA)
    requestExit(w, w.users[1]!, 6n * ADA)
    requestExit(w, w.users[2]!, 7n * ADA)
    await submit(w, await commitLedger(w, scripts, await anchor(), deposits))
    const { tree, leaves } = treeOf(w.ledger)
    ;({ exits, root: newRoot } = sequentialExits(hash, tree, leaves.filter((l) => l.leaf.pendingExit > 0n), false))
    expect(exits.map((e) => e.proof.index)).toEqual([0, 1, 2])
  })

  it('control: the compact redeemer built here is what buildWithdrawTx sends', async () => {
    const honest = buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits, newRoot }).tx
    const signed = await (await honest.complete()).sign.withWallet().complete()
    const sent = signed.toTransaction().witness_set().redeemers()!.as_arr_legacy_redeemer()!.get(0).data().to_cbor_hex()
    expect(Data.to(Data.from(redeemer(exits.map((e) => ({ e })), EMPTY_HASHES)))).toBe(Data.to(Data.from(sent)))
  })
  it('the same exit listed twice in one withdraw', async () => {
    const twice = [exits[0]!, exits[0]!]
    await expectRejected(w, await withRedeemer(redeemer(twice.map((e) => ({ e })), EMPTY_HASHES), twice), 'exit: proof does not match the root')
  })
  it('a proof cut short (its two siblings dropped): the index points above it', async () => {
    const p = explicitProof(exits[2]!.proof) // index 2: a right child at level 1
    const cut = toHex(p.siblings.subarray(0, p.siblings.length - 64))
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[2]!, siblings: cut }], EMPTY_HASHES), [exits[2]!]), 'merkle: index beyond the proof')
  })
  it('a proof with two extra siblings (two levels too many, not the empty hashes)', async () => {
    const p = explicitProof(exits[0]!.proof)
    const extra = toHex(p.siblings) + EMPTY_HASHES.slice(64 * (p.siblings.length / 32), 64 * (p.siblings.length / 32) + 128).replace(/^../, 'ff')
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[0]!, siblings: extra }], EMPTY_HASHES), [exits[0]!]), 'exit: proof does not match the root')
  })
  it('a proof whose siblings are not whole 32-byte hashes, or an odd number of them', async () => {
    const p = explicitProof(exits[0]!.proof)
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[0]!, siblings: toHex(p.siblings) + 'ab' }], EMPTY_HASHES), [exits[0]!]), 'merkle: malformed proof')
    const odd = toHex(p.siblings) + EMPTY_HASHES.slice(64 * (p.siblings.length / 32), 64 * (p.siblings.length / 32) + 64)
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[0]!, siblings: odd }], EMPTY_HASHES), [exits[0]!]), 'merkle: malformed proof')
  })
  it('a wrong empty hash in the redeemer (empty(20) changed)', async () => {
    const bad = EMPTY_HASHES.slice(0, 64 * 20) + 'ff' + EMPTY_HASHES.slice(64 * 20 + 2)
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[0]! }], bad), [exits[0]!]), 'exit: proof does not match the root')
  })
  it('empty hashes read from a reference input that holds a wrong table', async () => {
    const bad = EMPTY_HASHES.slice(0, 64 * 31) + 'ff' + EMPTY_HASHES.slice(64 * 31 + 2)
    const ref = await refHolding(Data.to(bad))
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[0]! }], ''), [exits[0]!], ref), 'exit: proof does not match the root')
  })
  it('a table of 30 empty hashes (a proof two levels short: it would end at an inner node)', async () => {
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[0]! }], EMPTY_HASHES.slice(0, 64 * 30)), [exits[0]!]), 'merkle: the proof must span 32 levels')
  })
  it('a table of 33 empty hashes (a proof one level too long)', async () => {
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[0]! }], EMPTY_HASHES + 'ab'.repeat(32)), [exits[0]!]), 'merkle: the proof must span 32 levels')
  })
  it('a short table read from a reference input', async () => {
    const ref = await refHolding(Data.to(EMPTY_HASHES.slice(0, 64 * 30)))
    await expectRejected(w, await withRedeemer(redeemer([{ e: exits[0]! }], ''), [exits[0]!], ref), 'merkle: the proof must span 32 levels')
  })
  const TWO_64 = 2n ** 64n
  const leafCases: [string, (l: ExitProof['leaf']) => ExitProof['leaf']][] = [
    ['an account of 27 bytes', (l) => ({ ...l, account: l.account.subarray(0, 27) })],
    ['an account of 29 bytes', (l) => ({ ...l, account: Uint8Array.from([...l.account, 0]) })],
    ['a records root of 31 bytes', (l) => ({ ...l, recordsRoot: l.recordsRoot.subarray(0, 31) })],
    ['a records root of 33 bytes', (l) => ({ ...l, recordsRoot: Uint8Array.from([...l.recordsRoot, 0]) })],
    ['a negative balance', (l) => ({ ...l, balance: -1n })],
    ['a balance of 2^64', (l) => ({ ...l, balance: TWO_64 })],
    ['a pending exit of 2^64', (l) => ({ ...l, pendingExit: TWO_64 })],
    ['a negative nonce', (l) => ({ ...l, nonce: -1n })],
    ['a nonce of 2^64', (l) => ({ ...l, nonce: TWO_64 })],
  ]
  it.each(leafCases)('a leaf with %s', async (_what, change) => {
    const bad = { ...exits[0]!, leaf: change(exits[0]!.leaf) }
    await expectRejected(w, await withRedeemer(redeemer([{ e: bad }], EMPTY_HASHES), [exits[0]!]), 'exit: malformed leaf')
  })
  it('control: empty hashes read from the reference-script UTxO; accepted at the ledger minimum fee', async () => {
    const ref = await refHolding(EMPTY_HASHES_DATUM)
    const before = await anchor()
    const { tx } = buildWithdrawTx(w.lucid, scripts, { anchor: before, exits, newRoot, refs: { anchor: ref } })
    const done = await tx.complete()
    const signed = await done.sign.withWallet().complete()
    const t = signed.toTransaction()
    const sent = t.witness_set().redeemers()!.as_arr_legacy_redeemer()!.get(0).data().to_cbor_hex()
    expect(anchorRedeemerFromData(Data.from(sent))).toMatchObject({ type: 'withdraw', empties: '' }) // 1 KB less in the tx
    const r = t.witness_set().redeemers()!.as_arr_legacy_redeemer()!.get(0).ex_units()
    const size = BigInt(signed.toCBOR().length / 2)
    const refBytes = BigInt(ref.scriptRef!.script.length / 2)
    const min = 44n * size + 155_381n + BigInt(Math.ceil(0.0577 * Number(r.mem()) + 0.0000721 * Number(r.steps()))) + 15n * refBytes
    const fee = t.body().fee()
    expect(fee).toBeGreaterThanOrEqual(min)
    expect(fee - min).toBeLessThan(2_000n) // Lucid alone pays 15 lovelace a reference-script byte twice
    await w.devnet.submitTx(signed.toCBOR()) // the strict devnet re-checks the fee and the ex-units
    w.devnet.awaitBlock(1)
    expect((await anchor()).assets.lovelace).toBe(before.assets.lovelace! - 18n * ADA)
  })
})
