import { applyDoubleCborEncoding, CML, createCostModels, Data, validatorToRewardAddress, validatorToScriptHash, type Script } from '@lucid-evolution/lucid'
import { describe, expect, it } from 'vitest'
import { certTx, newKey, poolIdOfKey, poolRegistration, signWith, type TestKey } from './certTx.js'
import { GUARDED_MINT_CBOR } from './fixtures.js'
import { editRedeemers, expectPlainAccepts, expectRejected, forge, outputsWithLovelace, rehash, twin, withBody, type Twin } from './helpers.js'

const KEY_DEPOSIT = 2_000_000n
/** A Plutus V2 script used as a stake credential: it succeeds on redeemer 7 only. */
const stakeValidator: Script = { type: 'PlutusV2', script: applyDoubleCborEncoding(GUARDED_MINT_CBOR) }
const scriptReward = validatorToRewardAddress('Custom', stakeValidator)

const unregCert = (k: TestKey, refund = KEY_DEPOSIT) => CML.Certificate.new_unreg_cert(k.credential, refund)
const regCert = (k: TestKey, deposit = KEY_DEPOSIT) => CML.Certificate.new_reg_cert(k.credential, deposit)

/** Registers `k`'s stake credential (the legacy certificate Lucid builds: no witness needed) and confirms it. */
async function register(t: Twin, k: TestKey): Promise<void> {
  const tx = await t.lucid.newTx().register.Stake(k.rewardAddress).complete()
  await t.strict.submitTx(await signWith(tx, []))
  t.strict.awaitBlock()
}

/** Registers a pool (operator = owner = reward account key) and confirms it; returns its id. */
async function registerPool(t: Twin): Promise<string> {
  const op = newKey()
  await t.strict.submitTx(await certTx(t, [poolRegistration(op, [op], op)], { keys: [op.privateKey], net: 500_000_000n }))
  t.strict.awaitBlock()
  return poolIdOfKey(op)
}

async function aliceLovelace(t: Twin): Promise<bigint> {
  return (await t.strict.getUtxos(t.alice.address)).reduce((s, u) => s + u.assets.lovelace!, 0n)
}

describe('stake registration, delegation and deregistration, as the ledger does them', () => {
  it('register → delegate → deregister: the refund is the deposit the ledger recorded, and the signed UnregCert is accepted', async () => {
    const t = await twin()
    const stake = newKey()
    const before = await aliceLovelace(t)
    await register(t, stake)
    expect(t.strict.getStakeAccount(stake.rewardAddress)).toEqual({ deposit: KEY_DEPOSIT, rewards: 0n, poolId: null, drep: null })
    const pool = await registerPool(t)

    const deleg = await t.lucid.newTx().delegate.ToPool(stake.rewardAddress, pool).delegate.VoteToDRep(stake.rewardAddress, { __typename: 'AlwaysAbstain' }).complete()
    await t.strict.submitTx(await signWith(deleg, [stake.privateKey]))
    t.strict.awaitBlock()
    expect(t.strict.getStakeAccount(stake.rewardAddress)).toMatchObject({ poolId: pool, drep: { kind: 'abstain' } })
    expect(await t.strict.getDelegation(stake.rewardAddress)).toEqual({ poolId: pool, rewards: 0n })

    const dereg = await t.lucid.newTx().deregister.Stake(stake.rewardAddress).complete()
    const cbor = await signWith(dereg, [stake.privateKey])
    expect(CML.Transaction.from_cbor_hex(cbor).body().certs()!.get(0).kind()).toBe(CML.CertificateKind.UnregCert)
    await t.strict.submitTx(cbor)
    t.strict.awaitBlock()
    expect(t.strict.getStakeAccount(stake.rewardAddress)).toBeUndefined()
    // what alice paid: fees and the pool's 500 ADA deposit; the key deposit came back
    const fees = [1, 2, 3, 4].map((h) => t.strict.getBlock(h)!.txs[0]!).reduce((s, r) => s + CML.Transaction.from_cbor_hex(r.cbor).body().fee(), 0n)
    expect(before - (await aliceLovelace(t))).toBe(fees + 500_000_000n)
  })

  it('the signed UnregCert the plain Emulator refuses ("Extraneous vkey witness") is accepted', async () => {
    const t = await twin()
    const stake = newKey()
    await t.submitBoth(await signWith(await t.lucid.newTx().register.Stake(stake.rewardAddress).complete(), []))
    t.awaitBlockBoth()
    const cbor = await signWith(await t.lucid.newTx().deregister.Stake(stake.rewardAddress).complete(), [stake.privateKey])
    expect(() => t.plain.submitTx(cbor)).toThrow(/Extraneous vkey witness/) // the Emulator throws synchronously
    await expect(t.strict.submitTx(cbor)).resolves.toMatch(/^[0-9a-f]{64}$/)
  })

  it('MISSING_SIGNATURE: an UnregCert not signed by the stake key', async () => {
    const t = await twin()
    const stake = newKey()
    await register(t, stake)
    const dereg = await t.lucid.newTx().deregister.Stake(stake.rewardAddress).complete()
    const e = await expectRejected(t.strict, await signWith(dereg, []), 'MISSING_SIGNATURE')
    expect(e.details).toMatchObject({ keyHash: stake.keyHash, purpose: 'certificate 0 (UnregCert)' })
  })

  it('the forged 1,000,000 ADA refund: unsigned and never registered, STAKE_NOT_REGISTERED (the plain Emulator pays it)', async () => {
    const t = await twin()
    const stranger = newKey()
    const forged = await certTx(t, [unregCert(stranger, 1_000_000_000_000n)], { net: -1_000_000_000_000n })
    const e = await expectRejected(t.strict, forged, 'STAKE_NOT_REGISTERED')
    expect(e.details).toMatchObject({ certificate: 0, kind: 'UnregCert', credential: `key:${stranger.keyHash}` })
    await expectPlainAccepts(t.plain, forged)
  })

  it('INCORRECT_REFUND: a registered, signed UnregCert stating a refund other than the deposit paid', async () => {
    const t = await twin()
    const stake = newKey()
    await register(t, stake)
    const forged = await certTx(t, [unregCert(stake, 1_000_000_000_000n)], { keys: [stake.privateKey], net: -1_000_000_000_000n })
    const e = await expectRejected(t.strict, forged, 'INCORRECT_REFUND')
    expect(e.details).toMatchObject({ stated: '1000000000000', paid: '2000000' })
  })

  it('VALUE_NOT_CONSERVED: the refund is the deposit paid, not the current key deposit', async () => {
    const t = await twin()
    const stake = newKey()
    await register(t, stake) // pays 2 ADA
    t.strict.protocolParameters = { ...t.strict.protocolParameters, keyDeposit: 5_000_000n }
    const legacy = CML.Certificate.new_stake_deregistration(stake.credential)
    const atNewDeposit = await certTx(t, [legacy], { keys: [stake.privateKey], net: -5_000_000n })
    const e = await expectRejected(t.strict, atNewDeposit, 'VALUE_NOT_CONSERVED')
    expect(e.details).toMatchObject({ consumedMinusProduced: { lovelace: '-3000000' }, refund: '2000000' })
    await expectRejected(t.strict, await certTx(t, [unregCert(stake, 5_000_000n)], { keys: [stake.privateKey], net: -5_000_000n }), 'INCORRECT_REFUND')
    await expect(t.strict.submitTx(await certTx(t, [legacy], { keys: [stake.privateKey], net: -KEY_DEPOSIT }))).resolves.toMatch(/^[0-9a-f]{64}$/)
  })

  it('STAKE_ALREADY_REGISTERED, INCORRECT_DEPOSIT, and RegCert needs the stake key where the legacy registration does not', async () => {
    const t = await twin()
    const stake = newKey()
    await expectRejected(t.strict, await certTx(t, [regCert(stake)], { net: KEY_DEPOSIT }), 'MISSING_SIGNATURE')
    const e = await expectRejected(t.strict, await certTx(t, [regCert(stake, 1_000_000n)], { keys: [stake.privateKey], net: 1_000_000n }), 'INCORRECT_DEPOSIT')
    expect(e.details).toMatchObject({ stated: '1000000', expected: '2000000' })
    await expectRejected(t.strict, await certTx(t, [regCert(stake)], { keys: [stake.privateKey], net: 0n }), 'VALUE_NOT_CONSERVED')
    await t.strict.submitTx(await certTx(t, [regCert(stake)], { keys: [stake.privateKey], net: KEY_DEPOSIT }))
    t.strict.awaitBlock()
    await expectRejected(t.strict, await certTx(t, [regCert(stake)], { keys: [stake.privateKey], net: KEY_DEPOSIT }), 'STAKE_ALREADY_REGISTERED')
    await expectRejected(t.strict, await certTx(t, [CML.Certificate.new_stake_registration(stake.credential)], { net: KEY_DEPOSIT }), 'STAKE_ALREADY_REGISTERED')
    // register and deregister in one tx: the second certificate sees the first
    const other = newKey()
    const both = await certTx(t, [CML.Certificate.new_stake_registration(other.credential), unregCert(other)], { keys: [other.privateKey], net: 0n })
    await expect(t.strict.submitTx(both)).resolves.toMatch(/^[0-9a-f]{64}$/)
  })

  it('DELEGATEE_NOT_REGISTERED and STAKE_NOT_REGISTERED for delegations', async () => {
    const t = await twin()
    const stake = newKey()
    const nowhere = CML.Ed25519KeyHash.from_hex(newKey().keyHash)
    await register(t, stake)
    const toPool = await certTx(t, [CML.Certificate.new_stake_delegation(stake.credential, nowhere)], { keys: [stake.privateKey] })
    expect((await expectRejected(t.strict, toPool, 'DELEGATEE_NOT_REGISTERED')).details?.pool).toBe(nowhere.to_hex())
    const toDRep = await certTx(t, [CML.Certificate.new_vote_deleg_cert(stake.credential, CML.DRep.new_key(nowhere))], { keys: [stake.privateKey] })
    expect((await expectRejected(t.strict, toDRep, 'DELEGATEE_NOT_REGISTERED')).details?.drep).toBe(`key:${nowhere.to_hex()}`)
    const stranger = newKey()
    const abstain = await certTx(t, [CML.Certificate.new_vote_deleg_cert(stranger.credential, CML.DRep.new_always_abstain())], { keys: [stranger.privateKey] })
    await expectRejected(t.strict, abstain, 'STAKE_NOT_REGISTERED')
  })
})

describe('a script stake credential is witnessed by its script', () => {
  it('a Plutus V2 script runs with a Cert redeemer to deregister (UnregCert); a wrong redeemer fails, a missing one or a missing script is refused', async () => {
    const t = await twin()
    const reg = await t.lucid.newTx().register.Stake(scriptReward).complete()
    await t.strict.submitTx(await signWith(reg, []))
    t.strict.awaitBlock()
    expect(t.strict.getStakeAccount(scriptReward)?.deposit).toBe(KEY_DEPOSIT)

    const dereg = await t.lucid.newTx().deregister.Stake(scriptReward, Data.to(7n)).attach.Script(stakeValidator).complete()
    const cbor = await signWith(dereg, [])
    const wrong = forge(cbor, [t.alice.privateKey], (body, ws) => {
      editRedeemers(ws, () => ({ data: CML.PlutusData.from_cbor_hex(Data.to(8n)) }))
      rehash(body, ws, createCostModels(t.strict.protocolParameters.costModels))
    })
    const failed = await expectRejected(t.strict, wrong, 'SCRIPT_FAILED')
    expect(failed.details?.logs).toEqual(['mint redeemer must be 7'])
    const noRedeemer = forge(cbor, [t.alice.privateKey], (body, ws) => {
      ws.set_redeemers(CML.Redeemers.new_arr_legacy_redeemer(CML.LegacyRedeemerList.new()))
      return withBody(body, { scriptDataHash: null })
    })
    expect((await expectRejected(t.strict, noRedeemer, 'MISSING_REDEEMER')).details).toMatchObject({ redeemer: 'cert#0', scriptHash: validatorToScriptHash(stakeValidator) })
    const noScript = forge(cbor, [t.alice.privateKey], (_, ws) => ws.set_plutus_v2_scripts(CML.PlutusV2ScriptList.new()))
    await expectRejected(t.strict, noScript, 'MISSING_SCRIPT_WITNESS')

    await t.strict.submitTx(cbor)
    t.strict.awaitBlock()
    expect(t.strict.getStakeAccount(scriptReward)).toBeUndefined()
  })

  it('a native script credential: its script validates with the key it names', async () => {
    const t = await twin()
    const owner = newKey()
    const native = CML.NativeScript.new_script_pubkey(CML.Ed25519KeyHash.from_hex(owner.keyHash))
    const credential = CML.Credential.new_script(native.hash())
    const reg = CML.Certificate.new_reg_cert(credential, KEY_DEPOSIT)
    await expectRejected(t.strict, await certTx(t, [reg], { net: KEY_DEPOSIT }), 'MISSING_SCRIPT_WITNESS')
    await expectRejected(t.strict, await certTx(t, [reg], { net: KEY_DEPOSIT, nativeScripts: [native] }), 'NATIVE_SCRIPT_FAILED')
    await t.strict.submitTx(await certTx(t, [reg], { net: KEY_DEPOSIT, nativeScripts: [native], keys: [owner.privateKey] }))
    t.strict.awaitBlock()
    expect(t.strict.getCertState().accounts.get(`script:${native.hash().to_hex()}`)?.deposit).toBe(KEY_DEPOSIT)
  })

  it('PLUTUS_CONTEXT_UNSUPPORTED: a Plutus V2 script cannot witness a vote delegation (a Conway certificate its context cannot show)', async () => {
    const t = await twin()
    await t.strict.submitTx(await signWith(await t.lucid.newTx().register.Stake(scriptReward).complete(), []))
    t.strict.awaitBlock()
    // a deregistration witnessed by the script, its certificate swapped for a vote delegation (same redeemer cert#0)
    const base = await signWith(await t.lucid.newTx().deregister.Stake(scriptReward, Data.to(7n)).attach.Script(stakeValidator).complete(), [])
    const vote = forge(base, [t.alice.privateKey], (body) => {
      const c = body.outputs().len() - 1
      const b = withBody(body, { outputs: outputsWithLovelace(body.outputs(), c, body.outputs().get(c).amount().coin() - KEY_DEPOSIT) })
      const certs = CML.CertificateList.new()
      certs.add(CML.Certificate.new_vote_deleg_cert(CML.Credential.new_script(CML.ScriptHash.from_hex(validatorToScriptHash(stakeValidator))), CML.DRep.new_always_abstain()))
      b.set_certs(certs)
      return b
    })
    const e = await expectRejected(t.strict, vote, 'PLUTUS_CONTEXT_UNSUPPORTED')
    expect(e.details).toMatchObject({ feature: 'certificate 0 (VoteDelegCert)', purpose: 'certificate 0 (VoteDelegCert)' })
  })
})
