import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Blockfrost,
  Data,
  Lucid,
  SLOT_CONFIG_NETWORK,
  applyDoubleCborEncoding,
  fromText,
  mintingPolicyToId,
  scriptFromNative,
  toUnit,
  getAddressDetails,
  validatorToAddress,
  validatorToScriptHash,
  type EmulatorAccount,
  type LucidEvolution,
  type SpendingValidator,
  type UTxO,
} from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, serveBlockfrost, type BlockfrostServer, type StrictEmulator } from '../src/index.js'
import { GUARDED_SPEND_CBOR } from './fixtures.js'

const spendValidator: SpendingValidator = { type: 'PlutusV2', script: applyDoubleCborEncoding(GUARDED_SPEND_CBOR) }
const scriptAddress = validatorToAddress('Custom', spendValidator)

let devnet: StrictEmulator
let api: BlockfrostServer
let lucid: LucidEvolution
let alice: EmulatorAccount
let bob: EmulatorAccount

const getJson = async (path: string, init?: RequestInit) => {
  const res = await fetch(`${api.url}${path}`, init)
  return { status: res.status, body: (await res.json()) as any }
}

/** Confirmations the way a Blockfrost client counts them: tip height − the tx's block height + 1. */
const confirmations = async (txHash: string): Promise<number | undefined> => {
  const tx = await getJson(`/txs/${txHash}`)
  if (tx.status === 404) return undefined
  const tip = await getJson('/blocks/latest')
  return tip.body.height - tx.body.block_height + 1
}

beforeAll(async () => {
  ;[alice, bob] = createTestAccounts(2, { lovelace: 1_000_000_000n }) as [EmulatorAccount, EmulatorAccount]
  devnet = createDevnet({ accounts: [alice, bob], genesisTime: Math.floor(Date.now() / 1000) * 1000 })
  api = await serveBlockfrost(devnet, { port: 0 })
  // What any process reaching the devnet over HTTP does: the Custom network's slot config from /genesis.
  const genesis = (await getJson('/genesis')).body
  SLOT_CONFIG_NETWORK.Custom = { zeroTime: genesis.system_start * 1000, zeroSlot: 0, slotLength: genesis.slot_length * 1000 }
  lucid = await Lucid(new Blockfrost(api.url, 'x'), 'Custom')
  lucid.selectWallet.fromPrivateKey(alice.privateKey)
})

afterAll(async () => {
  await api?.close()
})

describe('the devnet Blockfrost API, driven by Lucid Evolution\'s Blockfrost provider', () => {
  it('serves the devnet\'s protocol parameters as Lucid reads them', async () => {
    const pp = await new Blockfrost(api.url, 'x').getProtocolParameters()
    expect(pp).toEqual(devnet.protocolParameters)
  })

  it('pays ADA: the tx is unknown until its block, then confirmations grow', async () => {
    const tx = await lucid.newTx().pay.ToAddress(bob.address, { lovelace: 5_000_000n }).complete()
    const txHash = await (await tx.sign.withWallet().complete()).submit()
    expect(await confirmations(txHash)).toBeUndefined() // Blockfrost knows only confirmed txs …
    expect((await getJson(`/mempool/${txHash}`)).body.tx.hash).toBe(txHash) // … and its own mempool
    devnet.awaitBlock(1)
    expect(await confirmations(txHash)).toBe(1)
    devnet.awaitBlock(2)
    expect(await confirmations(txHash)).toBe(3)
    expect((await getJson(`/mempool/${txHash}`)).status).toBe(404)
    const bobs = await lucid.config().provider!.getUtxos(bob.address)
    expect(bobs.map((u) => u.assets.lovelace)).toEqual([1_000_000_000n, 5_000_000n]) // genesis first, in chain order
    const cbor = (await getJson(`/txs/${txHash}/cbor`)).body.cbor
    expect(cbor).toBe(devnet.getTxRecord(txHash)!.cbor)
    const utxos = (await getJson(`/txs/${txHash}/utxos`)).body
    expect(utxos.inputs[0]).toMatchObject({ address: alice.address, tx_hash: '00'.repeat(32), collateral: false, reference: false })
    expect(utxos.outputs[0]).toMatchObject({ address: bob.address, amount: [{ unit: 'lovelace', quantity: '5000000' }], consumed_by_tx: null })
    // By credential (what Lucid sends for a Credential query) and by out-ref.
    const cred = getAddressDetails(bob.address).paymentCredential!
    expect((await lucid.config().provider!.getUtxos(cred)).length).toBe(2)
    const [byRef] = await lucid.config().provider!.getUtxosByOutRef([{ txHash, outputIndex: 0 }])
    expect(byRef).toMatchObject({ txHash, outputIndex: 0, address: bob.address, assets: { lovelace: 5_000_000n } })
  })

  it('spends a script UTxO with a redeemer: evaluated by the API (UPLC), submitted, confirmed', async () => {
    const lock = await lucid.newTx().pay.ToContract(scriptAddress, { kind: 'inline', value: Data.void() }, { lovelace: 10_000_000n }).complete()
    await (await lock.sign.withWallet().complete()).submit()
    devnet.awaitBlock(1)
    const [utxo] = (await lucid.utxosAt(scriptAddress)) as [UTxO]
    expect(utxo.datum).toBe(Data.void())

    // localUPLCEval: false hands the evaluation to the API (/utils/txs/evaluate), which is what this
    // test is about; the strict devnet still runs every script again when the tx is submitted.
    // A wrong redeemer: the API's evaluation fails with the script's trace.
    const bad = lucid.newTx().collectFrom([utxo], Data.to(41n)).attach.SpendingValidator(spendValidator).complete({ localUPLCEval: false })
    await expect(bad).rejects.toThrow(/redeemer must be 42/)

    // Evaluated by the API (not locally), then the strict devnet runs the script again on submit.
    const tx = await lucid.newTx().collectFrom([utxo], Data.to(42n)).attach.SpendingValidator(spendValidator).complete({ localUPLCEval: false })
    const txHash = await (await tx.sign.withWallet().complete()).submit()
    devnet.awaitBlock(1)
    expect(await confirmations(txHash)).toBe(1)
    expect(await lucid.utxosAt(scriptAddress)).toEqual([])
    const spent = (await getJson(`/txs/${utxo.txHash}/utxos`)).body.outputs.find((o: any) => o.address === scriptAddress)
    expect(spent.consumed_by_tx).toBe(txHash)
    expect((await getJson(`/txs/${txHash}`)).body).toMatchObject({ hash: txHash, redeemer_count: 1, valid_contract: true })
  })

  it('serves reference scripts, and a spend that reads its script from one', async () => {
    const holder = await lucid.newTx().pay.ToAddressWithData(bob.address, undefined, { lovelace: 20_000_000n }, spendValidator).complete()
    await (await holder.sign.withWallet().complete()).submit()
    devnet.awaitBlock(1) // Blockfrost serves the confirmed chain: wait for the block before spending the change
    const lock = await lucid.newTx().pay.ToContract(scriptAddress, { kind: 'inline', value: Data.void() }, { lovelace: 7_000_000n }).complete()
    await (await lock.sign.withWallet().complete()).submit()
    devnet.awaitBlock(1)
    const hash = validatorToScriptHash(spendValidator)
    expect((await getJson(`/scripts/${hash}`)).body).toMatchObject({ script_hash: hash, type: 'plutusV2' })
    const [refUtxo] = (await lucid.utxosAt(bob.address)).filter((u) => u.scriptRef) as [UTxO]
    expect(refUtxo.scriptRef).toEqual(spendValidator)
    const [utxo] = (await lucid.utxosAt(scriptAddress)) as [UTxO]
    const tx = await lucid.newTx().collectFrom([utxo], Data.to(42n)).readFrom([refUtxo]).complete()
    const txHash = await (await tx.sign.withWallet().complete()).submit()
    devnet.awaitBlock(1)
    expect(await confirmations(txHash)).toBe(1)
    expect((await getJson(`/txs/${txHash}/utxos`)).body.inputs.some((i: any) => i.reference && i.tx_hash === refUtxo.txHash)).toBe(true)
  })

  it('finds an NFT by unit, and datums by hash', async () => {
    const keyHash = getAddressDetails(alice.address).paymentCredential!.hash
    const policy = scriptFromNative({ type: 'sig', keyHash })
    const unit = toUnit(mintingPolicyToId(policy), fromText('Lagoon'))
    const mint = await lucid.newTx().mintAssets({ [unit]: 1n }).attach.MintingPolicy(policy).addSignerKey(keyHash).complete()
    await (await mint.sign.withWallet().complete()).submit()
    devnet.awaitBlock(1)
    const withDatum = await lucid.newTx().pay.ToContract(scriptAddress, { kind: 'asHash', value: Data.to(7n) }, { lovelace: 3_000_000n }).complete()
    await (await withDatum.sign.withWallet().complete()).submit()
    devnet.awaitBlock(1)
    const nft = await lucid.utxoByUnit(unit)
    expect(nft).toMatchObject({ address: alice.address })
    expect(nft.assets[unit]).toBe(1n)
    expect((await getJson(`/assets/${unit}/addresses`)).body).toEqual([{ address: alice.address, quantity: '1' }])
    const [held] = (await lucid.utxosAt(scriptAddress)) as [UTxO]
    expect(held.datumHash).toMatch(/^[0-9a-f]{64}$/)
    expect(await lucid.datumOf(held)).toBe(7n)
  })

  it('pages address UTxOs as Blockfrost does (count, page, order)', async () => {
    const tx = await lucid
      .newTx()
      .pay.ToAddress(bob.address, { lovelace: 2_000_000n })
      .pay.ToAddress(bob.address, { lovelace: 3_000_000n })
      .pay.ToAddress(bob.address, { lovelace: 4_000_000n })
      .complete()
    await (await tx.sign.withWallet().complete()).submit()
    devnet.awaitBlock(1)
    const all = (await getJson(`/addresses/${bob.address}/utxos`)).body as any[]
    const p1 = (await getJson(`/addresses/${bob.address}/utxos?count=2&page=1`)).body as any[]
    const p2 = (await getJson(`/addresses/${bob.address}/utxos?count=2&page=2`)).body as any[]
    const far = (await getJson(`/addresses/${bob.address}/utxos?count=2&page=99`)).body as any[]
    expect(p1.length).toBe(2)
    expect([...p1, ...p2].map((u) => `${u.tx_hash}#${u.output_index}`)).toEqual(all.slice(0, 4).map((u) => `${u.tx_hash}#${u.output_index}`))
    expect(far).toEqual([])
    const desc = (await getJson(`/addresses/${bob.address}/utxos?order=desc`)).body as any[]
    expect(desc.map((u) => u.output_index)).toEqual([...all].reverse().map((u) => u.output_index))
    // Lucid walks every page until an empty one.
    expect((await lucid.utxosAt(bob.address)).length).toBe(all.length)
  })
})

describe('rollbacks', () => {
  it('a rolled-back tx disappears from the API and the outputs it spent come back', async () => {
    const [carol, dave] = createTestAccounts(2, { lovelace: 100_000_000n }) as [EmulatorAccount, EmulatorAccount]
    const chain = createDevnet({ accounts: [carol, dave], genesisTime: devnet.genesisTime })
    const server = await serveBlockfrost(chain, { port: 0 })
    try {
      const l = await Lucid(new Blockfrost(server.url, 'x'), 'Custom')
      l.selectWallet.fromPrivateKey(carol.privateKey)
      const txHash = await (await (await l.newTx().pay.ToAddress(dave.address, { lovelace: 7_000_000n }).complete()).sign.withWallet().complete()).submit()
      chain.awaitBlock(2)
      expect((await fetch(`${server.url}/txs/${txHash}`)).status).toBe(200)
      const genesisOut = async () => ((await (await fetch(`${server.url}/txs/${'00'.repeat(32)}/utxos`)).json()) as any).outputs[0]
      expect((await genesisOut()).consumed_by_tx).toBe(txHash)
      chain.rollback(2)
      chain.awaitBlock(1)
      expect((await fetch(`${server.url}/txs/${txHash}`)).status).toBe(404)
      expect((await fetch(`${server.url}/txs/${txHash}/cbor`)).status).toBe(404)
      expect((await genesisOut()).consumed_by_tx).toBeNull()
      expect((await l.utxosAt(dave.address)).map((u) => u.assets.lovelace)).toEqual([100_000_000n])
      expect((await l.utxosAt(carol.address)).map((u) => u.txHash)).toEqual(['00'.repeat(32)])
    } finally {
      await server.close()
    }
  })
})

describe('bad requests get Blockfrost-shaped errors', () => {
  it('4xx with { status_code, error, message }', async () => {
    const bad = await getJson('/addresses/not_an_address/utxos')
    expect(bad).toEqual({ status: 400, body: { status_code: 400, error: 'Bad Request', message: expect.stringMatching(/address/i) } })
    expect((await getJson(`/txs/${'ab'.repeat(32)}`)).body).toEqual({ status_code: 404, error: 'Not Found', message: 'The requested component has not been found.' })
    expect((await getJson('/txs/xyz')).status).toBe(400)
    expect((await getJson('/no/such/route')).status).toBe(404)
    expect((await getJson(`/addresses/${bob.address}/utxos?count=500`)).body).toMatchObject({ status_code: 400 })
    expect((await getJson('/tx/submit')).body).toMatchObject({ status_code: 405 })
  })

  it('a submission that breaks a ledger rule is a 400 naming the rule', async () => {
    const garbage = await getJson('/tx/submit', { method: 'POST', headers: { 'content-type': 'application/cbor' }, body: Buffer.from('00ff', 'hex') })
    expect(garbage).toMatchObject({ status: 400, body: { status_code: 400, error: 'Bad Request', code: 'MALFORMED_TX' } })
    expect(garbage.body.message).toMatch(/^MALFORMED_TX: /)
    // Submitted twice: the second spends inputs the first already spent.
    const tx = await lucid.newTx().pay.ToAddress(bob.address, { lovelace: 1_500_000n }).complete()
    const signed = await tx.sign.withWallet().complete()
    await signed.submit()
    const again = await getJson('/tx/submit', { method: 'POST', headers: { 'content-type': 'application/cbor' }, body: Buffer.from(signed.toCBOR(), 'hex') })
    expect(again.status).toBe(400)
    expect(again.body.code).toMatch(/^[A-Z_]+$/)
    // Lucid's provider surfaces the message.
    await expect(new Blockfrost(api.url, 'x').submitTx(signed.toCBOR())).rejects.toThrow(again.body.message.slice(0, 20))
    devnet.awaitBlock(1)
  })

  it('a server with a project id refuses other tokens with 403', async () => {
    const guarded = await serveBlockfrost(devnet, { port: 0, projectId: 'secret' })
    try {
      const no = await fetch(`${guarded.url}/blocks/latest`, { headers: { project_id: 'wrong' } })
      expect(no.status).toBe(403)
      expect(await no.json()).toEqual({ status_code: 403, error: 'Forbidden', message: 'Invalid project token.' })
      expect((await fetch(`${guarded.url}/blocks/latest`, { headers: { project_id: 'secret' } })).status).toBe(200)
    } finally {
      await guarded.close()
    }
  })
})
