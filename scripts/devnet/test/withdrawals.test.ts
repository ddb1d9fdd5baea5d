import { CML } from '@lucid-evolution/lucid'
import { describe, expect, it } from 'vitest'
import { certTx, newKey, poolIdOfKey, poolRegistration, signWith, type TestKey } from './certTx.js'
import { expectRejected, twin, type Twin } from './helpers.js'

/** Registers `stake` delegating to a new pool (and, unless `vote` is false, its vote to abstain), confirmed. */
async function delegated(t: Twin, stake: TestKey, vote = true): Promise<void> {
  const op = newKey()
  await t.strict.submitTx(await certTx(t, [poolRegistration(op, [op], op)], { keys: [op.privateKey], net: 500_000_000n }))
  t.strict.awaitBlock()
  let tx = t.lucid.newTx().register.Stake(stake.rewardAddress).delegate.ToPool(stake.rewardAddress, poolIdOfKey(op))
  if (vote) tx = tx.delegate.VoteToDRep(stake.rewardAddress, { __typename: 'AlwaysAbstain' })
  await t.strict.submitTx(await signWith(await tx.complete(), [stake.privateKey]))
  t.strict.awaitBlock()
}

describe('withdrawals: only the whole balance of a registered, witnessed reward account', () => {
  it('rewards paid to a delegated account are withdrawn whole, and value is conserved with them', async () => {
    const t = await twin()
    const stake = newKey()
    await delegated(t, stake)
    t.strict.distributeRewards(5_000_000n)
    expect(t.strict.getStakeAccount(stake.rewardAddress)?.rewards).toBe(5_000_000n)
    expect(await t.strict.getDelegation(stake.rewardAddress)).toMatchObject({ rewards: 5_000_000n })

    const part = await certTx(t, [], { keys: [stake.privateKey], withdrawals: [[stake.rewardAddress, 4_000_000n]], net: -4_000_000n })
    expect((await expectRejected(t.strict, part, 'WITHDRAWAL_MISMATCH')).details).toMatchObject({ amount: '4000000', balance: '5000000' })
    const unsigned = await certTx(t, [], { withdrawals: [[stake.rewardAddress, 5_000_000n]], net: -5_000_000n })
    expect((await expectRejected(t.strict, unsigned, 'MISSING_SIGNATURE')).details?.purpose).toMatch(/^withdrawal from stake_test/)
    const overpaid = await certTx(t, [], { keys: [stake.privateKey], withdrawals: [[stake.rewardAddress, 5_000_000n]], net: -6_000_000n })
    await expectRejected(t.strict, overpaid, 'VALUE_NOT_CONSERVED')

    const whole = await t.lucid.newTx().withdraw(stake.rewardAddress, 5_000_000n).complete()
    await t.strict.submitTx(await signWith(whole, [stake.privateKey]))
    t.strict.awaitBlock()
    expect(t.strict.getStakeAccount(stake.rewardAddress)?.rewards).toBe(0n)
  })

  it('WITHDRAWAL_ACCOUNT_NOT_REGISTERED, and a zero withdrawal from a registered account is fine', async () => {
    const t = await twin()
    const stake = newKey()
    const e = await expectRejected(t.strict, await certTx(t, [], { keys: [stake.privateKey], withdrawals: [[stake.rewardAddress, 0n]] }), 'WITHDRAWAL_ACCOUNT_NOT_REGISTERED')
    expect(e.details?.rewardAddress).toBe(stake.rewardAddress)
    await delegated(t, stake)
    await expect(t.strict.submitTx(await certTx(t, [], { keys: [stake.privateKey], withdrawals: [[stake.rewardAddress, 0n]] }))).resolves.toMatch(/^[0-9a-f]{64}$/)
  })

  it('WITHDRAWAL_NOT_DELEGATED_TO_DREP: a key-hash account must delegate its vote before it withdraws (Conway, protocol 10)', async () => {
    const t = await twin()
    const stake = newKey()
    await delegated(t, stake, false)
    await expectRejected(t.strict, await certTx(t, [], { keys: [stake.privateKey], withdrawals: [[stake.rewardAddress, 0n]] }), 'WITHDRAWAL_NOT_DELEGATED_TO_DREP')
  })

  it('STAKE_REWARDS_NOT_ZERO: deregistering an account with rewards; withdrawing them in the same tx first is fine', async () => {
    const t = await twin()
    const stake = newKey()
    await delegated(t, stake)
    t.strict.distributeRewards(3_000_000n)
    const unreg = CML.Certificate.new_unreg_cert(stake.credential, 2_000_000n)
    const e = await expectRejected(t.strict, await certTx(t, [unreg], { keys: [stake.privateKey], net: -2_000_000n }), 'STAKE_REWARDS_NOT_ZERO')
    expect(e.details?.rewards).toBe('3000000')
    const both = await certTx(t, [unreg], { keys: [stake.privateKey], withdrawals: [[stake.rewardAddress, 3_000_000n]], net: -5_000_000n })
    await expect(t.strict.submitTx(both)).resolves.toMatch(/^[0-9a-f]{64}$/)
  })

  it('rollback undoes rewards paid and withdrawn, and registrations', async () => {
    const t = await twin()
    const stake = newKey()
    await delegated(t, stake) // blocks 1 (pool) and 2 (stake)
    t.strict.distributeRewards(7_000_000n) // block 3
    await t.strict.submitTx(await signWith(await t.lucid.newTx().withdraw(stake.rewardAddress, 7_000_000n).complete(), [stake.privateKey]))
    t.strict.awaitBlock() // block 4
    expect(t.strict.getStakeAccount(stake.rewardAddress)?.rewards).toBe(0n)
    t.strict.rollback(1)
    expect(t.strict.getStakeAccount(stake.rewardAddress)?.rewards).toBe(7_000_000n)
    t.strict.rollback(1)
    expect(t.strict.getStakeAccount(stake.rewardAddress)?.rewards).toBe(0n)
    t.strict.rollback(1)
    expect(t.strict.getStakeAccount(stake.rewardAddress)).toBeUndefined()
    expect(t.strict.chain).toEqual({})
    expect(t.strict.getCertState().pools.size).toBe(1)
  })
})
