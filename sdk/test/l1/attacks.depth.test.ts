/**
 * The leaf/node boundary (issue: "a short proof passes a node off as a leaf"). An operator commits a
 * root in which an inner node at level 2 equals the hash of a 64-byte "leaf" (standing in for a root
 * whose accounts were ground until one of their nodes had that form); a non-operator then withdraws
 * that leaf with a proof of 30 levels (a table of 30 empty hashes). Before the fix this paid out, on
 * both builds. Now it is refused: the leaf's records root is not 32 bytes, and a proof must span
 * exactly 32 levels (each check on its own in attacks.proof.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { credentialToAddress, Data, type UTxO } from '@lucid-evolution/lucid'
import { concatBytes, fromHex, toHex } from '../../src/core/bytes.js'
import { emptyHashes } from '../../src/core/merkle/emptyHashes.js'
import { anchorDatumFromData, anchorDatumToData, buildCommitTx, EMPTY_HASHES, leafToData, type LagoonScripts } from '../../src/l1/index.js'
import type { LeafFields } from '../../src/core/state/leafBytes.js'
import { ADA, BUILDS, creditDeposits, expectRejected, hash, openInstance, submit, utxoAt, world, type World } from './helpers.js'

/** The root of a tree whose only non-empty node at `level` is `node`, at index 0. */
function rootAbove(node: Uint8Array, level: number): Uint8Array {
  const empty = emptyHashes(hash)
  let r = node
  for (let l = level; l < 32; l++) r = hash(concatBytes(r, empty[l]!))
  return r
}

describe.each(BUILDS)('an inner node passed off as a leaf (%s build)', (build) => {
  let w: World
  let scripts: LagoonScripts
  let anchor: () => Promise<UTxO>
  // 64 bytes of Plutus data: a records root of 22 bytes instead of 32.
  const fake: LeafFields = { account: fromHex('cd'.repeat(28)), balance: 0n, pendingExit: 5n * ADA, nonce: 0n, recordsRoot: fromHex('ee'.repeat(22)) }
  const fakeBytes = (l: LeafFields) => fromHex(Data.to(leafToData(l)))

  beforeAll(async () => {
    w = await world(1, build)
    ;({ scripts, anchor } = await openInstance(w, { deposit: 20n * ADA }))
    creditDeposits(w, await utxoAt(w, scripts.depositAddress))
    expect(fakeBytes(fake)).toHaveLength(64)
    const planted = rootAbove(hash(fakeBytes(fake)), 2)
    const deposits = await utxoAt(w, scripts.depositAddress)
    const { tx } = buildCommitTx(w.lucid, scripts, { anchor: await anchor(), deposits, root: toHex(planted), logHead: toHex(w.ledger.head), logSeq: BigInt(w.ledger.seq), now: w.devnet.now() })
    await submit(w, tx)
  })

  it('a 30-level proof of a 64-byte leaf against the committed root is refused', async () => {
    const a = await anchor()
    const zeroed = rootAbove(hash(fakeBytes({ ...fake, pendingExit: 0n })), 2)
    // Exit [leaf, index 0, no siblings]; empties from level 2 up (30 hashes): every level a left child.
    const exit = `d8799f${Data.to(leafToData(fake))}${Data.to(0n)}${Data.to('')}ff`
    const redeemer = `d87a9f9f${exit}ff${Data.to(EMPTY_HASHES.slice(128))}ff`
    const tx = w.lucid
      .newTx()
      .collectFrom([a], redeemer)
      .pay.ToContract(scripts.anchorAddress, { kind: 'inline', value: Data.to(anchorDatumToData({ ...anchorDatumFromData(a.datum!), root: toHex(zeroed) })) }, { ...a.assets, lovelace: a.assets.lovelace! - 5n * ADA })
      .pay.ToAddress(credentialToAddress('Custom', { type: 'Key', hash: toHex(fake.account) }), { lovelace: 5n * ADA })
      .attach.SpendingValidator(scripts.anchor)
    w.lucid.selectWallet.fromPrivateKey(w.users[0]!.walletKey) // not the operator
    try {
      await expectRejected(w, tx, 'exit: malformed leaf')
    } finally {
      w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
    }
    expect((await anchor()).assets.lovelace).toBe(a.assets.lovelace)
  })
})
