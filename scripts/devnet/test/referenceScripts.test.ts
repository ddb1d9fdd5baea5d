import { CML, Emulator, Lucid, utxoToTransactionInput, type EmulatorAccount, type UTxO } from '@lucid-evolution/lucid'
import { describe, expect, it } from 'vitest'
import { createDevnet, createTestAccounts, MAX_REFERENCE_SCRIPTS_SIZE, referenceScriptFee, referenceScriptsSize } from '../src/index.js'
import { expectRejected, forge, nativeScriptOfSize, outputsWithLovelace, withBody } from './helpers.js'

/**
 * A devnet whose genesis holds, at bob's address, one UTxO per script in `scripts` (each carrying it
 * as a reference script), and alice's funds (her first UTxO carries `spentScript`, if given).
 */
async function withReferenceScripts(scripts: readonly string[], spentScript?: string) {
  const [alice, bob] = createTestAccounts(2, { lovelace: 5_000_000_000n }) as [EmulatorAccount, EmulatorAccount]
  const holders: EmulatorAccount[] = scripts.map((script) => ({ ...bob, assets: { lovelace: 2_000_000_000n }, outputData: { scriptRef: { type: 'Native', script } } }))
  const aliceFunds: EmulatorAccount[] = spentScript
    ? [{ ...alice, assets: { lovelace: 2_000_000_000n }, outputData: { scriptRef: { type: 'Native', script: spentScript } } }, alice]
    : [alice]
  const accounts = [...aliceFunds, ...holders]
  const devnet = createDevnet({ accounts })
  const plain = new Emulator(accounts)
  const lucid = await Lucid(devnet, 'Custom')
  lucid.selectWallet.fromPrivateKey(alice.privateKey)
  const refs = (await devnet.getUtxos(bob.address)).filter((u) => u.scriptRef)
  const aliceUtxos = await devnet.getUtxos(alice.address)
  return { devnet, plain, lucid, alice, bob, refs, aliceUtxos }
}

/**
 * A signed payment to bob that reads `refs` and also spends `spend`. Lucid refuses to build a tx
 * over 200,000 bytes of reference scripts (its own limit, below the ledger's), so the payment is
 * built plain and the inputs are added by hand: the change takes the spent lovelace, the fee the
 * tiered reference-script fee (plus a margin for the longer body).
 */
async function payReading(
  w: Awaited<ReturnType<typeof withReferenceScripts>>,
  refs: readonly UTxO[],
  spend: readonly UTxO[] = [],
  extraFee = referenceScriptFee(referenceScriptsSize([...refs, ...spend]), 15) + 20_000n,
): Promise<string> {
  const tx = await w.lucid.newTx().pay.ToAddress(w.bob.address, { lovelace: 5_000_000n }).complete()
  const cbor = (await tx.sign.withWallet().complete()).toCBOR()
  return forge(cbor, [w.alice.privateKey], (body) => {
    const inputs = body.inputs()
    for (const u of spend) inputs.add(utxoToTransactionInput(u))
    const c = body.outputs().len() - 1
    const change = body.outputs().get(c).amount().coin() + spend.reduce((s, u) => s + u.assets.lovelace!, 0n) - extraFee
    const b = withBody(body, { inputs, outputs: outputsWithLovelace(body.outputs(), c, change), fee: body.fee() + extraFee })
    const list = CML.TransactionInputList.new()
    for (const u of refs) list.add(utxoToTransactionInput(u))
    b.set_reference_inputs(list)
    return b
  })
}

describe('REFERENCE_SCRIPTS_TOO_LARGE: Conway limits reference scripts to 200 KiB a tx', () => {
  it('counts a script the ledger way: a Plutus script without Lucid\'s outer CBOR header', () => {
    const utxo = (script: string, type: 'PlutusV2' | 'Native'): UTxO => ({ txHash: '00'.repeat(32), outputIndex: 0, address: '', assets: {}, scriptRef: { type, script } })
    // 113 bytes as Lucid holds it (double CBOR), 111 as the ledger hashes and counts it
    expect(referenceScriptsSize([utxo('586f586d' + '00'.repeat(109), 'PlutusV2')])).toBe(111)
    expect(referenceScriptsSize([utxo(nativeScriptOfSize(1000), 'Native')])).toBe(1000)
  })

  it('accepts exactly 204,800 bytes: the same script in two reference inputs counts twice', async () => {
    const half = nativeScriptOfSize(MAX_REFERENCE_SCRIPTS_SIZE / 2)
    const w = await withReferenceScripts([half, half])
    expect(w.refs).toHaveLength(2)
    expect(referenceScriptsSize(w.refs)).toBe(204_800)
    const hash = await w.devnet.submitTx(await payReading(w, w.refs))
    w.devnet.awaitBlock()
    expect(w.devnet.getTxBlockHeight(hash)).toBe(1)
  })

  it('FEE_TOO_SMALL: 204,800 bytes at the flat 15 lovelace a byte, without Conway\'s ×1.2 tiers', async () => {
    const half = nativeScriptOfSize(MAX_REFERENCE_SCRIPTS_SIZE / 2)
    const w = await withReferenceScripts([half, half])
    const e = await expectRejected(w.devnet, await payReading(w, w.refs, [], 204_800n * 15n + 20_000n), 'FEE_TOO_SMALL')
    expect(e.details?.referenceScripts).toBe(referenceScriptFee(204_800, 15).toString())
    expect(referenceScriptFee(204_800, 15)).toBe(6_335_648n) // 25,600 × 15 × (1 + 1.2 + … + 1.2^7), floored
  })

  it('refuses 204,801 bytes, a spent input\'s script counting with the reference inputs\'', async () => {
    const w = await withReferenceScripts([nativeScriptOfSize(102_400)], nativeScriptOfSize(102_401))
    const spent = w.aliceUtxos.find((u) => u.scriptRef)!
    const cbor = await payReading(w, w.refs, [spent])
    const e = await expectRejected(w.devnet, cbor, 'REFERENCE_SCRIPTS_TOO_LARGE')
    expect(e.details).toEqual({ size: 204_801, max: 204_800 })
    await expect(w.plain.submitTx(cbor)).resolves.toMatch(/^[0-9a-f]{64}$/)
  })

  it('a UTxO both spent and read counts once', async () => {
    const w = await withReferenceScripts([nativeScriptOfSize(102_400)], nativeScriptOfSize(102_400))
    const spent = w.aliceUtxos.find((u) => u.scriptRef)!
    expect(referenceScriptsSize([spent, spent, ...w.refs])).toBe(204_800)
    await expect(w.devnet.submitTx(await payReading(w, [...w.refs, spent], [spent]))).resolves.toMatch(/^[0-9a-f]{64}$/)
  })
})
