/**
 * Attacks on Freeze and the exodus. One instance: deposits, a commit, then no commit for longer than
 * the exodus timeout. Forged freezes (from one honest freeze) and forged exodus withdraws (from one
 * honest exodus withdraw) must be rejected by the strict devnet with the debug build's trace; the
 * honest ones are then submitted, and what is refused afterwards is refused by `complete()` (and, built
 * with fixed ex-units, by the devnet). Every case runs on the debug and the release build (refusal.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { CML, unixTimeToSlot, type UTxO } from '@lucid-evolution/lucid'
import { concatBytes, toHex } from '../../src/core/bytes.js'
import { StateTree } from '../../src/core/merkle/StateTree.js'
import { leafHash } from '../../src/core/state/leafHash.js'
import {
  anchorDatumFromData,
  buildCommitTx,
  buildExodusWithdrawTx,
  buildFreezeTx,
  DepositRedeemer,
  sequentialExits,
  type LagoonScripts,
} from '../../src/l1/index.js'
import { ADA, BUILDS, commitLedger, creditDeposits, depositFrom, expectRejected, hash, openInstance, requestExit, submit, treeOf, utxoAt, world, type World } from './helpers.js'
import { expectAccepted, expectScriptFailed, forge, forgeOutputs, honest, outputWith, withAnchorDatum, withBody } from './tamper.js'

const TIMEOUT = 60_000n

describe.each(BUILDS)('freeze and exodus attacks (%s build: each rejected for its reason)', (build) => {
  let w: World
  let scripts: LagoonScripts
  let keys: string[]
  let freeze: string // honest freeze, signed, not yet submitted
  let anchor: () => Promise<UTxO>
  let spareDeposit: UTxO // a deposit not absorbed
  const withDeposit = <T extends { collectFrom: (u: UTxO[], r: string) => T; attach: { SpendingValidator: (s: LagoonScripts['deposit']) => T } }>(tx: T) =>
    tx.collectFrom([spareDeposit], DepositRedeemer.absorb).attach.SpendingValidator(scripts.deposit)
  const exodusOf = (pick: (account: Uint8Array) => boolean) => {
    const { tree, leaves } = treeOf(w.ledger)
    return sequentialExits(hash, tree, leaves.filter((l) => pick(l.leaf.account) && l.leaf.balance + l.leaf.pendingExit > 0n), true)
  }
  const isUser0 = (a: Uint8Array) => toHex(a) === toHex(w.users[0]!.account)

  beforeAll(async () => {
    w = await world(2, build)
    keys = [w.operator.privateKey]
    ;({ scripts, anchor } = await openInstance(w, { exodusTimeout: TIMEOUT, deposit: 20n * ADA }))
    const deposits = await utxoAt(w, scripts.depositAddress)
    creditDeposits(w, deposits)
    requestExit(w, w.users[0]!, 5n * ADA) // user 0: balance 15, pending 5
    await submit(w, await commitLedger(w, scripts, await anchor(), deposits))
    await depositFrom(w, scripts, w.users[1]!, 10n * ADA, 3_600_000)
    spareDeposit = (await utxoAt(w, scripts.depositAddress))[0]!
    w.devnet.awaitSlot(Number(TIMEOUT / 1000n) + 20)
    freeze = await honest(buildFreezeTx(w.lucid, scripts, await anchor(), w.devnet.now()).tx)
  })

  describe('freeze, forged past complete(), rejected by the strict devnet', () => {
    const forged = (edit: (o: CML.TransactionOutput[]) => CML.TransactionOutput[]) => forgeOutputs(freeze, keys, edit)
    it('a freeze that also changes the root', async () => {
      await expectScriptFailed(w, forged((o) => withAnchorDatum(o, (d) => ({ ...d, root: '00'.repeat(32) }))), 'freeze: datum must change only in mode')
    })
    it('a freeze that also changes the operator', async () => {
      await expectScriptFailed(w, forged((o) => withAnchorDatum(o, (d) => ({ ...d, operator: toHex(w.users[1]!.account) }))), 'freeze: datum must change only in mode')
    })
    it('a freeze that also bumps the batch', async () => {
      await expectScriptFailed(w, forged((o) => withAnchorDatum(o, (d) => ({ ...d, batch: d.batch + 1n }))), 'freeze: datum must change only in mode')
    })
    it('a freeze that takes 1 ADA from the anchor', async () => {
      await expectScriptFailed(w, forged((o) => ((o[0] = outputWith(o[0]!, { coin: o[0]!.amount().coin() - 1n * ADA })), o)), 'freeze: anchor value changed')
    })
    it('a freeze that sends the anchor to another address', async () => {
      await expectScriptFailed(w, forged((o) => ((o[0] = outputWith(o[0]!, { address: w.operator.address })), o)), 'freeze: output 0 is not at the anchor address')
    })
    it('a freeze whose validity range starts before the timeout (lower bound moved back)', async () => {
      const last = anchorDatumFromData((await anchor()).datum!).lastCommit
      const early = BigInt(unixTimeToSlot('Custom', Number(last + TIMEOUT)))
      const e = forge(freeze, keys, (body) => {
        const b = withBody(body, {})
        b.set_validity_interval_start(early)
        return b
      })
      await expectScriptFailed(w, e, 'freeze: exodus timeout not reached')
    })
  })

  it('a freeze that absorbs a deposit (its ADA would go to the submitter) (complete())', async () => {
    await expectRejected(w, withDeposit(buildFreezeTx(w.lucid, scripts, await anchor(), w.devnet.now()).tx), 'freeze: another script runs in the tx')
  })

  describe('after the honest freeze', () => {
    let exodus: string // honest exodus withdraw of user 0 (balance 15 + pending 5), signed, not yet submitted
    let paid: ReturnType<typeof exodusOf>
    beforeAll(async () => {
      await expectAccepted(w, freeze)
      expect(anchorDatumFromData((await anchor()).datum!).mode).toBe('frozen')
      paid = exodusOf(isUser0)
      exodus = await honest(buildExodusWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: paid.exits, newRoot: paid.root }).tx)
    })

    it('freeze again (complete())', async () => {
      await expectRejected(w, buildFreezeTx(w.lucid, scripts, await anchor(), w.devnet.now()).tx, 'freeze: anchor is already frozen')
    })
    it('commit after freeze (complete())', async () => {
      const tx = buildCommitTx(w.lucid, scripts, { anchor: await anchor(), deposits: [], root: toHex(w.ledger.state.root()), logHead: toHex(w.ledger.head), logSeq: BigInt(w.ledger.seq), now: w.devnet.now() }).tx
      await expectRejected(w, tx, 'commit: anchor is frozen')
    })
    it('exodus underpaid: pays only the pending exit, not balance + pending (devnet)', async () => {
      const e = forgeOutputs(exodus, keys, (o) => ((o[1] = outputWith(o[1]!, { coin: 5n * ADA })), o))
      await expectScriptFailed(w, e, 'exit: underpaid')
    })
    it('exodus that unfreezes the anchor (mode back to Active) (devnet)', async () => {
      const e = forgeOutputs(exodus, keys, (o) => withAnchorDatum(o, (d) => ({ ...d, mode: 'active' })))
      await expectScriptFailed(w, e, 'exodus: datum must change only in root')
    })
    it('exodus that takes more ADA from the anchor than it pays (devnet)', async () => {
      const e = forgeOutputs(exodus, keys, (o) => ((o[0] = outputWith(o[0]!, { coin: o[0]!.amount().coin() - 1n * ADA })), o))
      await expectScriptFailed(w, e, 'exodus: anchor value must fall by exactly the exits')
    })
    it('exodus withdraw twice for the same account in one tx (complete())', async () => {
      const { exits } = paid
      await expectRejected(w, buildExodusWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: [exits[0]!, exits[0]!], newRoot: paid.root }).tx, 'exit: proof does not match the root')
    })
    it('an exodus withdraw that absorbs a deposit (complete())', async () => {
      await expectRejected(w, withDeposit(buildExodusWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: paid.exits, newRoot: paid.root }).tx), 'exodus: another script runs in the tx')
    })
    it('control: the honest exodus withdraw is accepted (pays 20 ADA)', async () => {
      const before = await anchor()
      await expectAccepted(w, exodus)
      expect((await anchor()).assets.lovelace).toBe(before.assets.lovelace! - 20n * ADA)
      expect(anchorDatumFromData((await anchor()).datum!).root).toBe(paid.root)
    })
    it('exodus withdraw twice for the same account: the old proof replayed in a later tx (complete())', async () => {
      await expectRejected(w, buildExodusWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: paid.exits, newRoot: paid.root }).tx, 'exit: proof does not match the root')
    })
    it('exodus withdraw twice for the same account: the zeroed leaf in a later tx (complete())', async () => {
      // The tree after the first exodus: user 0's leaf has balance 0 and pending 0.
      const { leaves } = treeOf(w.ledger)
      const zeroed = leaves.map((l) => (isUser0(l.leaf.account) ? { ...l, leaf: { ...l.leaf, balance: 0n, pendingExit: 0n } } : l))
      const after = StateTree.fromLeaves(hash, concatBytes(...zeroed.map((l) => leafHash(hash, l.leaf))))
      expect(toHex(after.root())).toBe(anchorDatumFromData((await anchor()).datum!).root)
      const again = sequentialExits(hash, after, zeroed.filter((l) => isUser0(l.leaf.account)), true)
      await expectRejected(w, buildExodusWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: again.exits, newRoot: again.root }).tx, 'exit: nothing to pay')
    })
  })
})
