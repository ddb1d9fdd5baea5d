/**
 * Attacks on Withdraw. Forged ones start from one honest withdraw (two exits) that Lucid's local
 * evaluation accepted, change one thing with CML, re-sign, and must be rejected by the strict
 * devnet's UPLC run with the debug build's trace; the rest are refused by `complete()`'s local
 * evaluation (its error carries the same trace) and, built with fixed ex-units, by the devnet. Every
 * case runs on the debug and the release build (refusal.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { CML, credentialToAddress, type UTxO } from '@lucid-evolution/lucid'
import { toHex } from '../../src/core/bytes.js'
import {
  anchorDatumFromData,
  buildWithdrawTx,
  DepositRedeemer,
  sequentialExits,
  type ExitProof,
  type LagoonScripts,
} from '../../src/l1/index.js'
import { ADA, BUILDS, commitLedger, creditDeposits, depositFrom, expectRejected, hash, openInstance, requestExit, submit, treeOf, utxoAt, world, type World } from './helpers.js'
import { editRedeemers, expectAccepted, expectScriptFailed, forge, forgeOutputs, honest, listOf, outputsOf, outputWith, withAnchorDatum, withBody } from './tamper.js'

describe.each(BUILDS)('exit attacks (%s build: each rejected for its reason)', (build) => {
  let w: World
  let scripts: LagoonScripts
  let keys: string[]
  let base: string // honest withdraw of both pending exits (user 0: 5 ADA, user 1: 6 ADA), signed, not submitted
  let exits: ExitProof[]
  let newRoot: string
  let spareDeposit: UTxO
  let anchor: () => Promise<UTxO>
  const addressOf = (account: Uint8Array) => credentialToAddress('Custom', { type: 'Key', hash: toHex(account) })

  beforeAll(async () => {
    w = await world(3, build)
    keys = [w.operator.privateKey]
    ;({ scripts, anchor } = await openInstance(w, { deposit: 20n * ADA }))
    const deposits = await utxoAt(w, scripts.depositAddress)
    creditDeposits(w, deposits)
    requestExit(w, w.users[0]!, 5n * ADA)
    requestExit(w, w.users[1]!, 6n * ADA)
    await submit(w, await commitLedger(w, scripts, await anchor(), deposits))
    await depositFrom(w, scripts, w.users[2]!, 10n * ADA)
    spareDeposit = (await utxoAt(w, scripts.depositAddress))[0]!

    const { tree, leaves } = treeOf(w.ledger)
    ;({ exits, root: newRoot } = sequentialExits(hash, tree, leaves.filter((l) => l.leaf.pendingExit > 0n), false))
    expect(exits).toHaveLength(2)
    base = await honest(buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits, newRoot }).tx)
  })

  const forged = (edit: (outs: CML.TransactionOutput[]) => CML.TransactionOutput[]) => forgeOutputs(base, keys, edit)

  describe('forged past complete(), rejected by the strict devnet', () => {
    it('exit paid to another address (user 2 instead of user 0)', async () => {
      await expectScriptFailed(w, forged((o) => ((o[1] = outputWith(o[1]!, { address: addressOf(w.users[2]!.account) })), o)), 'exit: paid to another address')
    })
    it('exit paid to the operator, the anchor and the exit amount unchanged', async () => {
      await expectScriptFailed(w, forged((o) => ((o[2] = outputWith(o[2]!, { address: w.operator.address })), o)), 'exit: paid to another address')
    })
    it('exit underpaid by 1 ADA (kept by the submitter)', async () => {
      await expectScriptFailed(w, forged((o) => ((o[1] = outputWith(o[1]!, { coin: o[1]!.amount().coin() - 1n * ADA })), o)), 'exit: underpaid')
    })
    it('more ADA taken from the anchor than the exits (1 ADA to the submitter)', async () => {
      await expectScriptFailed(w, forged((o) => ((o[0] = outputWith(o[0]!, { coin: o[0]!.amount().coin() - 1n * ADA })), o)), 'withdraw: anchor value must fall by exactly the exits')
    })
    it('the state token taken out of the anchor', async () => {
      const e = forged((o) => {
        const last = o.length - 1
        o[last] = outputWith(o[last]!, { multiAsset: o[last]!.amount().multi_asset().checked_add(o[0]!.amount().multi_asset()) })
        o[0] = outputWith(o[0]!, { multiAsset: CML.MultiAsset.new() })
        return o
      })
      await expectScriptFailed(w, e, 'withdraw: anchor value must fall by exactly the exits')
    })
    it('the anchor sent to another address', async () => {
      await expectScriptFailed(w, forged((o) => ((o[0] = outputWith(o[0]!, { address: w.operator.address })), o)), 'withdraw: output 0 is not at the anchor address')
    })
    it('an exit with no output (two exits, only one exit output: the rest of the ADA goes to output 1)', async () => {
      const e = forge(base, keys, (body) => {
        const o = outputsOf(body)
        const rest = o.slice(2).reduce((s, x) => s + x.amount().coin(), 0n)
        return withBody(body, { outputs: listOf([o[0]!, outputWith(o[1]!, { coin: o[1]!.amount().coin() + rest })]) })
      })
      await expectScriptFailed(w, e, 'exit: missing exit output')
    })
    it('a withdraw that changes the datum beyond the root: batch', async () => {
      await expectScriptFailed(w, forged((o) => withAnchorDatum(o, (d) => ({ ...d, batch: d.batch + 1n }))), 'withdraw: datum must change only in root')
    })
    it('a withdraw that changes the datum beyond the root: operator', async () => {
      await expectScriptFailed(w, forged((o) => withAnchorDatum(o, (d) => ({ ...d, operator: toHex(w.users[0]!.account) }))), 'withdraw: datum must change only in root')
    })
    it('a withdraw that changes the datum beyond the root: last_commit (postpones the exodus)', async () => {
      await expectScriptFailed(w, forged((o) => withAnchorDatum(o, (d) => ({ ...d, lastCommit: d.lastCommit + 86_400_000n }))), 'withdraw: datum must change only in root')
    })
    it('a withdraw that changes the datum beyond the root: mode (freezes without the timeout)', async () => {
      await expectScriptFailed(w, forged((o) => withAnchorDatum(o, (d) => ({ ...d, mode: 'frozen' }))), 'withdraw: datum must change only in root')
    })
    it('a withdraw whose new root keeps one exit unpaid in the tree (root of only the first exit)', async () => {
      const { tree, leaves } = treeOf(w.ledger)
      const partial = sequentialExits(hash, tree, leaves.filter((l) => l.leaf.pendingExit > 0n).slice(0, 1), false).root
      await expectScriptFailed(w, forged((o) => withAnchorDatum(o, (d) => ({ ...d, root: partial }))), 'withdraw: datum must change only in root')
    })
  })

  describe('refused by complete()', () => {
    it('an exit that claims more than its pending exit', async () => {
      const bad = [{ ...exits[0]!, leaf: { ...exits[0]!.leaf, pendingExit: exits[0]!.leaf.pendingExit + 10n * ADA, balance: exits[0]!.leaf.balance - 10n * ADA } }]
      await expectRejected(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: bad, newRoot }).tx, 'exit: proof does not match the root')
    })
    it('an exit of an account with nothing pending', async () => {
      const { tree, leaves } = treeOf(w.ledger)
      const idle = leaves.filter((l) => l.leaf.pendingExit === 0n)
      const { exits: e, root } = sequentialExits(hash, tree, idle.slice(0, 1), false)
      await expectRejected(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: e, newRoot: root }).tx, 'exit: nothing to pay')
    })
    it('a deposit absorbed by a Withdraw (not a Commit): its ADA would go to the submitter', async () => {
      const tx = buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits, newRoot }).tx.collectFrom([spareDeposit], DepositRedeemer.absorb).attach.SpendingValidator(scripts.deposit)
      await expectRejected(w, tx, 'withdraw: another script runs in the tx')
    })
  })

  describe('after the honest withdraw', () => {
    it('control: the untouched honest withdraw is accepted and pays both exits', async () => {
      const before = await anchor()
      await expectAccepted(w, base)
      const after = await anchor()
      expect(after.assets.lovelace).toBe(before.assets.lovelace! - 11n * ADA)
      expect(anchorDatumFromData(after.datum!).root).toBe(newRoot)
      for (const e of exits) expect(w.ledger.submit({ kind: 'exitPaid', account: e.leaf.account, amount: e.leaf.pendingExit, txHash: new Uint8Array(32) }).ok).toBe(true)
      expect(toHex(w.ledger.state.root())).toBe(newRoot)
    })
    it('the same exit again in a later tx (replayed proof against the old root)', async () => {
      await expectRejected(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: exits.slice(0, 1), newRoot }).tx, 'exit: proof does not match the root')
    })
    it('the same exit again in a later tx (the current, zeroed leaf)', async () => {
      const { tree, leaves } = treeOf(w.ledger)
      const mine = leaves.filter((l) => toHex(l.leaf.account) === toHex(exits[0]!.leaf.account))
      const { exits: e, root } = sequentialExits(hash, tree, mine, false)
      await expectRejected(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: e, newRoot: root }).tx, 'exit: nothing to pay')
    })
  })

  describe('an exit paid to a base address (the account key plus a stake key)', () => {
    let payout: string // an honest withdraw of user 2's exit, signed by the operator, not submitted
    const stakeKey = 'ab'.repeat(28)
    const baseAddress = (account: Uint8Array) => credentialToAddress('Custom', { type: 'Key', hash: toHex(account) }, { type: 'Key', hash: stakeKey })
    beforeAll(async () => {
      creditDeposits(w, [spareDeposit])
      requestExit(w, w.users[2]!, 4n * ADA)
      await submit(w, await commitLedger(w, scripts, await anchor(), [spareDeposit]))
      const { tree, leaves } = treeOf(w.ledger)
      const mine = sequentialExits(hash, tree, leaves.filter((l) => toHex(l.leaf.account) === toHex(w.users[2]!.account)), false)
      payout = await honest(buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits: mine.exits, newRoot: mine.root }).tx)
    })
    // The signature check costs a little more than the honest payout declared: raise its budget.
    const toBase = (signers: string[]) =>
      forgeOutputs(payout, [w.operator.privateKey, ...signers], (o) => ((o[1] = outputWith(o[1]!, { address: baseAddress(w.users[2]!.account) })), o), {
        feeMargin: 300_000n,
        witnesses: (ws) => editRedeemers(ws, (r) => ({ mem: r.mem * 2n, steps: r.steps * 2n })),
        body: (b) => {
          if (signers.length === 0) return
          const list = CML.Ed25519KeyHashList.new()
          list.add(CML.Ed25519KeyHash.from_hex(toHex(w.users[2]!.account)))
          b.set_required_signers(list)
        },
      })
    it('by anyone else: another stake key would take the delegation of the ADA paid out', async () => {
      await expectScriptFailed(w, toBase([]), "exit: a stake part needs the account's signature")
    })
    it('control: the same payout signed by the account (its own choice of stake key) is accepted', async () => {
      const before = await anchor()
      await expectAccepted(w, toBase([w.users[2]!.walletKey]))
      expect((await anchor()).assets.lovelace).toBe(before.assets.lovelace! - 4n * ADA)
      const paid = (await utxoAt(w, baseAddress(w.users[2]!.account))).reduce((s, u) => s + u.assets.lovelace!, 0n)
      expect(paid).toBe(4n * ADA)
    })
  })
})
