import { CML } from '@lucid-evolution/lucid'
import { describe, expect, it } from 'vitest'
import { EPOCH_LENGTH_SLOTS } from '../src/index.js'
import { certTx, newKey, poolIdOfKey, poolRegistration, signWith } from './certTx.js'
import { expectRejected, twin } from './helpers.js'

const POOL_DEPOSIT = 500_000_000n
const DREP_DEPOSIT = 500_000_000n

describe('pools: registration, re-registration, retirement', () => {
  it('a registration needs the operator and every owner, pays poolDeposit once, costs at least minPoolCost', async () => {
    const t = await twin()
    const [op, owner] = [newKey(), newKey()]
    const reg = poolRegistration(op, [op, owner], op)
    const unsigned = await certTx(t, [reg], { keys: [op.privateKey], net: POOL_DEPOSIT })
    expect((await expectRejected(t.strict, unsigned, 'MISSING_SIGNATURE')).details).toMatchObject({ keyHash: owner.keyHash, purpose: 'certificate 0 (PoolRegistration)' })
    await expectRejected(t.strict, await certTx(t, [reg], { keys: [op.privateKey, owner.privateKey] }), 'VALUE_NOT_CONSERVED')
    const cheap = await certTx(t, [poolRegistration(op, [op], op, 169_999_999n)], { keys: [op.privateKey], net: POOL_DEPOSIT })
    expect((await expectRejected(t.strict, cheap, 'POOL_COST_TOO_LOW')).details).toMatchObject({ cost: '169999999', minPoolCost: '170000000' })
    await t.strict.submitTx(await certTx(t, [reg], { keys: [op.privateKey, owner.privateKey], net: POOL_DEPOSIT }))
    t.strict.awaitBlock()
    expect(t.strict.getCertState().pools.get(op.keyHash)).toEqual({ deposit: POOL_DEPOSIT, rewardAccount: `key:${op.keyHash}`, owners: [op.keyHash, owner.keyHash], retiring: null })
    // re-registration: new owners, no second deposit
    const again = poolRegistration(op, [op], op)
    await expectRejected(t.strict, await certTx(t, [again], { keys: [op.privateKey], net: POOL_DEPOSIT }), 'VALUE_NOT_CONSERVED')
    await t.strict.submitTx(await certTx(t, [again], { keys: [op.privateKey] }))
    expect(t.strict.getCertState().pools.get(op.keyHash)?.owners).toEqual([op.keyHash])
  })

  it('a retirement names a registered pool and a later epoch within eMax; at that epoch the deposit goes to the reward account', async () => {
    const t = await twin()
    const op = newKey()
    const retire = (epoch: bigint, key = op) => CML.Certificate.new_pool_retirement(CML.Ed25519KeyHash.from_hex(key.keyHash), epoch)
    await expectRejected(t.strict, await certTx(t, [retire(1n)], { keys: [op.privateKey] }), 'POOL_NOT_REGISTERED')
    // the pool pays its rewards to its operator's reward account, registered and voting
    await t.strict.submitTx(await certTx(t, [poolRegistration(op, [op], op)], { keys: [op.privateKey], net: POOL_DEPOSIT }))
    t.strict.awaitBlock()
    const acct = await t.lucid.newTx().register.Stake(op.rewardAddress).delegate.ToPool(op.rewardAddress, poolIdOfKey(op)).delegate.VoteToDRep(op.rewardAddress, { __typename: 'AlwaysAbstain' }).complete()
    await t.strict.submitTx(await signWith(acct, [op.privateKey]))
    t.strict.awaitBlock()

    const now = await expectRejected(t.strict, await certTx(t, [retire(0n)], { keys: [op.privateKey] }), 'POOL_RETIREMENT_WRONG_EPOCH')
    expect(now.details).toMatchObject({ epoch: 0, currentEpoch: 0, maxEpoch: 18 })
    await expectRejected(t.strict, await certTx(t, [retire(19n)], { keys: [op.privateKey] }), 'POOL_RETIREMENT_WRONG_EPOCH')
    await expectRejected(t.strict, await certTx(t, [retire(1n)]), 'MISSING_SIGNATURE')
    await t.strict.submitTx(await certTx(t, [retire(1n)], { keys: [op.privateKey] }))
    t.strict.awaitBlock()
    expect(t.strict.getCertState().pools.get(op.keyHash)?.retiring).toBe(1)

    t.strict.awaitBlock(1, EPOCH_LENGTH_SLOTS) // into epoch 1: the pool retires
    expect(t.strict.getCertState().pools.has(op.keyHash)).toBe(false)
    expect(t.strict.getStakeAccount(op.rewardAddress)).toMatchObject({ rewards: POOL_DEPOSIT, poolId: null })
    t.strict.rollback(1)
    expect(t.strict.getCertState().pools.get(op.keyHash)?.retiring).toBe(1)
    expect(t.strict.getStakeAccount(op.rewardAddress)).toMatchObject({ rewards: 0n, poolId: poolIdOfKey(op) })
  })
})

describe('DReps and the committee', () => {
  it('a DRep registers with drepDeposit, is delegated to, and deregisters for the deposit it paid', async () => {
    const t = await twin()
    const drep = newKey()
    const voter = newKey()
    const reg = CML.Certificate.new_reg_drep_cert(drep.credential, DREP_DEPOSIT)
    await expectRejected(t.strict, await certTx(t, [reg], { net: DREP_DEPOSIT }), 'MISSING_SIGNATURE')
    const cheap = await certTx(t, [CML.Certificate.new_reg_drep_cert(drep.credential, 1n)], { keys: [drep.privateKey], net: 1n })
    expect((await expectRejected(t.strict, cheap, 'INCORRECT_DEPOSIT')).details).toMatchObject({ stated: '1', expected: '500000000' })
    await expectRejected(t.strict, await certTx(t, [CML.Certificate.new_update_drep_cert(drep.credential)], { keys: [drep.privateKey] }), 'DREP_NOT_REGISTERED')

    const viaLucid = await t.lucid.newTx().register.DRep(drep.rewardAddress).complete()
    await t.strict.submitTx(await signWith(viaLucid, [drep.privateKey]))
    t.strict.awaitBlock()
    expect(t.strict.getCertState().dreps.get(`key:${drep.keyHash}`)).toEqual({ deposit: DREP_DEPOSIT })
    await expectRejected(t.strict, await certTx(t, [reg], { keys: [drep.privateKey], net: DREP_DEPOSIT }), 'DREP_ALREADY_REGISTERED')

    const drepTarget = { type: 'Key' as const, hash: drep.keyHash }
    await t.strict.submitTx(await signWith(await t.lucid.newTx().registerAndDelegate.ToDRep(voter.rewardAddress, drepTarget).complete(), [voter.privateKey]))
    t.strict.awaitBlock()
    expect(t.strict.getStakeAccount(voter.rewardAddress)?.drep).toEqual({ kind: 'credential', credential: `key:${drep.keyHash}` })

    const forged = await certTx(t, [CML.Certificate.new_unreg_drep_cert(drep.credential, 1_000_000_000_000n)], { keys: [drep.privateKey], net: -1_000_000_000_000n })
    expect((await expectRejected(t.strict, forged, 'INCORRECT_REFUND')).details).toMatchObject({ paid: '500000000' })
    await t.strict.submitTx(await signWith(await t.lucid.newTx().deregister.DRep(drep.rewardAddress).complete(), [drep.privateKey]))
    t.strict.awaitBlock()
    expect(t.strict.getCertState().dreps.size).toBe(0)
    expect(t.strict.getStakeAccount(voter.rewardAddress)?.drep).toBeNull()
  })

  it('COMMITTEE_UNKNOWN: the devnet has no constitutional committee', async () => {
    const t = await twin()
    const [cold, hot] = [newKey(), newKey()]
    const auth = await certTx(t, [CML.Certificate.new_auth_committee_hot_cert(cold.credential, hot.credential)], { keys: [cold.privateKey] })
    expect((await expectRejected(t.strict, auth, 'COMMITTEE_UNKNOWN')).details).toMatchObject({ kind: 'AuthCommitteeHotCert', credential: `key:${cold.keyHash}` })
    await expectRejected(t.strict, await certTx(t, [CML.Certificate.new_resign_committee_cold_cert(cold.credential)], { keys: [cold.privateKey] }), 'COMMITTEE_UNKNOWN')
  })
})
