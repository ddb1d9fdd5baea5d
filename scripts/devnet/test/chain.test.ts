import { CML, Lucid } from '@lucid-evolution/lucid'
import { describe, expect, it } from 'vitest'
import { createDevnet, createTestAccounts, SLOTS_PER_BLOCK } from '../src/index.js'

async function setup() {
  const [alice, bob] = createTestAccounts(2, { lovelace: 1_000_000_000n })
  const devnet = createDevnet({ accounts: [alice!, bob!] })
  const lucid = await Lucid(devnet, 'Custom')
  lucid.selectWallet.fromPrivateKey(alice!.privateKey)
  const pay = async (lovelace: bigint) => {
    const tx = await lucid.newTx().pay.ToAddress(bob!.address, { lovelace }).complete()
    return devnet.submitTx((await tx.sign.withWallet().complete()).toCBOR())
  }
  return { devnet, lucid, alice: alice!, bob: bob!, pay }
}

describe('block height, confirmations, tip', () => {
  it('records the inclusion height and counts confirmations as blocks advance', async () => {
    const { devnet, pay } = await setup()
    expect(devnet.getTip()).toEqual({ height: 0, slot: 0, hash: '00'.repeat(32) })
    const h = await pay(5_000_000n)
    expect(devnet.getConfirmations(h)).toBe(0)
    expect(devnet.getTxBlockHeight(h)).toBeUndefined()
    devnet.awaitBlock(1)
    expect(devnet.getTxBlockHeight(h)).toBe(1)
    expect(devnet.getConfirmations(h)).toBe(1)
    devnet.awaitBlock(4)
    expect(devnet.getConfirmations(h)).toBe(5)
    const tip = devnet.getTip()
    expect(tip.height).toBe(5)
    expect(tip.slot).toBe(5 * SLOTS_PER_BLOCK)
    expect(tip.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(devnet.getBlock(1)?.txs.map((t) => t.txHash)).toEqual([h])
    expect(devnet.getBlock(2)?.prevHash).toBe(devnet.getBlock(1)?.hash)
    expect(devnet.getConfirmations('ff'.repeat(32))).toBeUndefined()
  })

  it('awaitSlot produces a block per 20-slot boundary and awaitTx includes the tx', async () => {
    const { devnet, pay } = await setup()
    devnet.awaitSlot(45)
    expect(devnet.getTip()).toMatchObject({ height: 2, slot: 40 })
    expect(devnet.slot).toBe(45)
    const h = await pay(2_000_000n)
    await devnet.awaitTx(h)
    expect(devnet.getTxBlockHeight(h)).toBe(3)
    expect(devnet.blockHeight).toBe(3)
  })
})

describe('rollback', () => {
  it('undoes the last blocks: the outputs disappear and the spent inputs come back', async () => {
    const { devnet, alice, bob, pay } = await setup()
    devnet.awaitBlock(1)
    const aliceBefore = (await devnet.getUtxos(alice.address)).map((u) => u.txHash + '#' + u.outputIndex).sort()
    const h = await pay(7_000_000n)
    devnet.awaitBlock(2)
    expect(devnet.getConfirmations(h)).toBe(2)
    expect((await devnet.getUtxos(bob.address)).some((u) => u.txHash === h)).toBe(true)

    const undone = devnet.rollback(2)
    expect(undone.map((t) => t.txHash)).toEqual([h])
    expect(devnet.getTip().height).toBe(1)
    expect(devnet.getConfirmations(h)).toBeUndefined()
    expect(await devnet.getUtxosByOutRef([{ txHash: h, outputIndex: 0 }])).toEqual([])
    expect((await devnet.getUtxos(bob.address)).some((u) => u.txHash === h)).toBe(false)
    const aliceAfter = (await devnet.getUtxos(alice.address)).map((u) => u.txHash + '#' + u.outputIndex).sort()
    expect(aliceAfter).toEqual(aliceBefore)

    // the fork continues: the undone tx can be resubmitted and is included again
    await devnet.submitTx(undone[0]!.cbor)
    devnet.awaitBlock()
    expect(devnet.getTxBlockHeight(h)).toBe(2)
  })

  it('undoes chained txs within a block and leaves older blocks intact', async () => {
    const { devnet, lucid, pay } = await setup()
    const first = await pay(3_000_000n)
    devnet.awaitBlock()
    const [walletUtxos, , tx1] = await lucid.newTx().pay.ToAddress(await lucid.wallet().address(), { lovelace: 4_000_000n }).chain()
    const a = await devnet.submitTx((await tx1.sign.withWallet().complete()).toCBOR())
    lucid.overrideUTxOs(walletUtxos)
    const tx2 = await lucid.newTx().pay.ToAddress(await lucid.wallet().address(), { lovelace: 5_000_000n }).complete()
    const b = await devnet.submitTx((await tx2.sign.withWallet().complete()).toCBOR())
    devnet.awaitBlock()
    expect(devnet.getTxBlockHeight(b)).toBe(2)
    expect(devnet.rollback(1).map((t) => t.txHash)).toEqual([b, a])
    expect(devnet.getConfirmations(first)).toBe(1)
    expect(await devnet.getUtxosByOutRef([{ txHash: a, outputIndex: 0 }, { txHash: b, outputIndex: 0 }])).toEqual([])
    expect((await devnet.getUtxosByOutRef([{ txHash: first, outputIndex: 1 }])).length).toBe(1)
    expect(() => devnet.rollback(5)).toThrow(RangeError)
  })

  it('drops mempool txs on rollback(0) and restores their inputs', async () => {
    const { devnet, alice, pay } = await setup()
    const before = (await devnet.getUtxos(alice.address)).length
    const h = await pay(2_000_000n)
    expect(devnet.rollback(0).map((t) => t.txHash)).toEqual([h])
    devnet.awaitBlock()
    expect(devnet.getTxBlockHeight(h)).toBeUndefined()
    expect((await devnet.getUtxos(alice.address)).length).toBe(before)
  })
})

describe('rollback of the cert state', () => {
  it('undoes registrations and deregistrations; the undone txs resubmit in order', async () => {
    const { devnet, lucid } = await setup()
    const sk = CML.PrivateKey.generate_ed25519()
    const reward = CML.RewardAddress.new(0, CML.Credential.new_pub_key(sk.to_public().hash())).to_address().to_bech32(undefined)
    const reg = await (await lucid.newTx().register.Stake(reward).complete()).sign.withWallet().complete()
    await devnet.submitTx(reg.toCBOR())
    devnet.awaitBlock()
    const dereg = await (await lucid.newTx().deregister.Stake(reward).complete()).sign.withWallet().sign.withPrivateKey(sk.to_bech32()).complete()
    await devnet.submitTx(dereg.toCBOR())
    devnet.awaitBlock()
    expect(devnet.getStakeAccount(reward)).toBeUndefined()
    const undone = [...devnet.rollback(1)]
    expect(devnet.getStakeAccount(reward)?.deposit).toBe(2_000_000n)
    undone.push(...devnet.rollback(1))
    expect(undone.map((r) => r.txHash)).toEqual([dereg.toHash(), reg.toHash()])
    expect(devnet.getStakeAccount(reward)).toBeUndefined()
    await devnet.submitTx(undone[1]!.cbor)
    expect(devnet.getStakeAccount(reward)?.deposit).toBe(2_000_000n)
    await devnet.submitTx(undone[0]!.cbor)
    devnet.awaitBlock()
    expect(devnet.getStakeAccount(reward)).toBeUndefined()
  })
})
