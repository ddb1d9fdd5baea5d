/**
 * Attacks on Commit, forged past `complete()`: each test starts from the same honest commit (batch 2,
 * absorbing one deposit), which Lucid's local evaluation accepted, changes one thing with CML,
 * re-signs, and shows that the strict devnet's UPLC run rejects it with the debug build's trace.
 * The last test submits the untouched honest commit: the only difference was the tampering. Every
 * case runs on the debug and the release build (refusal.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { CML, Constr, Data, mintingPolicyToId, scriptFromNative, unixTimeToSlot, type UTxO } from '@lucid-evolution/lucid'
import { fromHex, toHex } from '../../src/core/bytes.js'
import {
  anchorDatumFromData,
  depositDatumFromData,
  depositsHash,
  type AnchorDatum,
  type LagoonScripts,
} from '../../src/l1/index.js'
import { ADA, BUILDS, commitLedger, creditDeposits, depositFrom, openInstance, requestExit, submit, utxoAt, world, type World } from './helpers.js'
import { datumOf, expectAccepted, expectScriptFailed, forgeOutputs, honest, outputWith, withAnchorDatum } from './tamper.js'

describe.each(BUILDS)('commit attacks, rejected by the strict devnet (SCRIPT_FAILED; %s build)', (build) => {
  let w: World
  let scripts: LagoonScripts
  let keys: string[]
  let base: string // the honest commit (batch 1 -> 2) absorbing `deposit`, signed, not submitted
  let baseBare: string // the same commit absorbing no deposit (only the anchor's script runs)
  let baseJunk: string // the same commit also spending a wallet UTxO that holds junk tokens
  let deposit: UTxO
  let junkUnit: string

  let anchor: () => Promise<UTxO>
  const credit = (d: UTxO) => creditDeposits(w, [d])
  const commitTx = async (deposits: UTxO[]) => commitLedger(w, scripts, await anchor(), deposits)

  beforeAll(async () => {
    w = await world(2, build)
    keys = [w.operator.privateKey]
    ;({ scripts, anchor } = await openInstance(w, { deposit: 20n * ADA }))
    const first = await utxoAt(w, scripts.depositAddress)
    first.forEach(credit)
    requestExit(w, w.users[0]!, 5n * ADA)
    await submit(w, await commitTx(first)) // batch 1, log_seq > 0

    // One more deposit, and junk tokens in the operator's wallet.
    await depositFrom(w, scripts, w.users[1]!, 10n * ADA)
    deposit = (await utxoAt(w, scripts.depositAddress))[0]!
    credit(deposit)
    const policy = scriptFromNative({ type: 'sig', keyHash: w.operatorKeyHash })
    junkUnit = mintingPolicyToId(policy) + toHex(new TextEncoder().encode('junk'))
    await submit(w, w.lucid.newTx().mintAssets({ [junkUnit]: 1000n }).attach.MintingPolicy(policy).pay.ToAddress(w.operator.address, { lovelace: 2n * ADA, [junkUnit]: 1000n }))
    const junk = (await w.lucid.wallet().getUtxos()).find((u) => (u.assets[junkUnit] ?? 0n) > 0n)!

    base = await honest(await commitTx([deposit]))
    baseBare = await honest(await commitTx([]))
    baseJunk = await honest((await commitTx([deposit])).collectFrom([junk]))
  })

  const forged = (edit: (outs: CML.TransactionOutput[]) => CML.TransactionOutput[], cbor = base, feeMargin?: bigint, body?: (b: CML.TransactionBody) => void) =>
    forgeOutputs(cbor, keys, edit, { feeMargin, ...(body ? { body } : {}) })
  const datum = (f: (d: AnchorDatum) => AnchorDatum) => forged((outs) => withAnchorDatum(outs, f))

  it('the honest commit is what the attacks start from (batch 1 -> 2, anchor grows by the deposit)', () => {
    const outs = CML.Transaction.from_cbor_hex(base).body().outputs()
    const d = datumOf(outs.get(0))
    expect(d.batch).toBe(2n)
    expect(outs.get(0).address().to_bech32()).toBe(scripts.anchorAddress)
  })

  it('skips a batch number (batch + 2)', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, batch: d.batch + 1n })), 'commit: batch must be the previous batch + 1')
  })
  it('repeats a batch number (batch unchanged)', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, batch: d.batch - 1n })), 'commit: batch must be the previous batch + 1')
  })
  it('sends the state token elsewhere (output 0 at the operator\'s address)', async () => {
    await expectScriptFailed(w, forged((outs) => ((outs[0] = outputWith(outs[0]!, { address: w.operator.address })), outs)), 'commit: output 0 is not at the anchor address')
  })
  it('moves the state token out of the anchor output (into the change)', async () => {
    // Without a deposit: a deposit's script would refuse first (output 0 holds no state token).
    const e = forged((outs) => {
      const token = outs[0]!.amount().multi_asset()
      const last = outs.length - 1
      outs[last] = outputWith(outs[last]!, { multiAsset: outs[last]!.amount().multi_asset().checked_add(token) })
      outs[0] = outputWith(outs[0]!, { multiAsset: CML.MultiAsset.new() })
      return outs
    }, baseBare)
    await expectScriptFailed(w, e, 'commit: anchor value must grow by exactly the absorbed deposits')
  })
  it('splits the anchor into two outputs (5 ADA moved to a second output at the anchor address)', async () => {
    const e = forged((outs) => {
      const second = CML.TransactionOutput.new(outs[0]!.address(), CML.Value.from_coin(5n * ADA), outs[0]!.datum(), undefined)
      outs[0] = outputWith(outs[0]!, { coin: outs[0]!.amount().coin() - 5n * ADA })
      return [outs[0]!, second, ...outs.slice(1)]
    })
    await expectScriptFailed(w, e, 'commit: anchor value must grow by exactly the absorbed deposits')
  })
  it('lowers the anchor\'s value (1 ADA to the operator\'s change)', async () => {
    await expectScriptFailed(w, forged((outs) => ((outs[0] = outputWith(outs[0]!, { coin: outs[0]!.amount().coin() - 1n * ADA - deposit.assets.lovelace! })), outs)), 'commit: anchor value must grow by exactly the absorbed deposits')
  })
  it('absorbs a deposit but does not count it (anchor grows by less: the deposit goes to the operator)', async () => {
    await expectScriptFailed(w, forged((outs) => ((outs[0] = outputWith(outs[0]!, { coin: outs[0]!.amount().coin() - deposit.assets.lovelace! })), outs)), 'commit: anchor value must grow by exactly the absorbed deposits')
  })
  it('counts a deposit twice in the value (the operator tops the anchor up by the amount again)', async () => {
    await expectScriptFailed(w, forged((outs) => ((outs[0] = outputWith(outs[0]!, { coin: outs[0]!.amount().coin() + deposit.assets.lovelace! })), outs)), 'commit: anchor value must grow by exactly the absorbed deposits')
  })
  it('counts a deposit twice in the deposits hash', async () => {
    const d = { txHash: deposit.txHash, outputIndex: deposit.outputIndex, owner: depositDatumFromData(deposit.datum!).owner, amount: deposit.assets.lovelace! }
    await expectScriptFailed(w, datum((x) => ({ ...x, depositsHash: depositsHash([d, d]) })), 'commit: deposits hash does not match the absorbed deposits')
  })
  it('records a wrong deposits hash (none absorbed)', async () => {
    await expectScriptFailed(w, datum((x) => ({ ...x, depositsHash: depositsHash([]) })), 'commit: deposits hash does not match the absorbed deposits')
  })
  it('changes the operator in the continuing datum', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, operator: toHex(w.users[0]!.account) })), 'commit: operator changed')
  })
  it('changes the exodus timeout in the continuing datum', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, exodusTimeout: d.exodusTimeout * 1000n })), 'commit: exodus timeout changed')
  })
  it('adds junk tokens to the anchor', async () => {
    const e = forged((outs) => {
      const last = outs.length - 1
      const ma = outs[last]!.amount().multi_asset()
      const junk = CML.MultiAsset.new()
      const [policy, name] = [CML.ScriptHash.from_hex(junkUnit.slice(0, 56)), CML.AssetName.from_raw_bytes(fromHex(junkUnit.slice(56)))]
      junk.set(policy, name, ma.get(policy, name)!)
      outs[last] = outputWith(outs[last]!, { multiAsset: ma.checked_sub(junk) })
      outs[0] = outputWith(outs[0]!, { multiAsset: outs[0]!.amount().multi_asset().checked_add(junk) })
      return outs
    }, baseJunk)
    await expectScriptFailed(w, e, 'commit: anchor value must grow by exactly the absorbed deposits')
  })
  it('records a last_commit later than the validity range\'s lower bound (delays the exodus)', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, lastCommit: d.lastCommit + 86_400_000n })), 'commit: last_commit must be the validity range\'s lower bound')
  })
  it('records a last_commit earlier than the validity range\'s lower bound', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, lastCommit: d.lastCommit - 1000n })), 'commit: last_commit must be the validity range\'s lower bound')
  })
  it('moves last_commit back (validity range and datum both before the spent last_commit: postpones the exodus)', async () => {
    const old = anchorDatumFromData((await anchor()).datum!)
    const back = Number(old.lastCommit) - 20_000 // one block earlier (the devnet started minutes ago)
    const e = forged((outs) => withAnchorDatum(outs, (d) => ({ ...d, lastCommit: BigInt(back) })), base, undefined, (b) => b.set_validity_interval_start(BigInt(unixTimeToSlot('Custom', back))))
    await expectScriptFailed(w, e, 'commit: last_commit must grow')
  })
  it('keeps last_commit where it was (validity range starting at the spent last_commit)', async () => {
    const old = anchorDatumFromData((await anchor()).datum!)
    const e = forged((outs) => withAnchorDatum(outs, (d) => ({ ...d, lastCommit: old.lastCommit })), base, undefined, (b) => b.set_validity_interval_start(BigInt(unixTimeToSlot('Custom', Number(old.lastCommit)))))
    await expectScriptFailed(w, e, 'commit: last_commit must grow')
  })
  it('freezes the anchor in its own commit (mode Frozen)', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, mode: 'frozen' })), 'commit: mode must stay active')
  })
  it('moves the log sequence number back', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, logSeq: 0n })), 'commit: log sequence number went back')
  })
  it('posts a root that is not 32 bytes', async () => {
    await expectScriptFailed(w, datum((d) => ({ ...d, root: d.root + '00' })), 'commit: root and log head must be 32 bytes')
  })
  it('puts a reference script on the anchor output', async () => {
    const ref = CML.Script.new_plutus_v2(CML.PlutusV2Script.from_cbor_hex(scripts.deposit.script))
    await expectScriptFailed(w, forged((outs) => ((outs[0] = outputWith(outs[0]!, { scriptRef: ref })), outs), base, 200_000n), 'commit: the anchor output must not carry a script')
  })
  it('appends an extra field to the datum (an anchor no decoder reads)', async () => {
    const e = forged((outs) => {
      const d = Data.from(outs[0]!.datum()!.as_datum()!.to_cbor_hex()) as Constr<Data>
      const extra = Data.to(new Constr(0, [...d.fields, 7n]))
      outs[0] = outputWith(outs[0]!, { datum: extra })
      return outs
    })
    // Helios' from_data only warns ("Warning: invalid AnchorDatum data"); the re-encoding check refuses it.
    await expectScriptFailed(w, e, 'commit: malformed datum')
  })

  it('control: the untouched honest commit is accepted by the devnet', async () => {
    const before = (await utxoAt(w, scripts.anchorAddress))[0]!
    await expectAccepted(w, base)
    const after = (await utxoAt(w, scripts.anchorAddress))[0]!
    expect(after.assets.lovelace).toBe(before.assets.lovelace! + deposit.assets.lovelace!)
    expect(anchorDatumFromData(after.datum!).batch).toBe(2n)
  })
})
