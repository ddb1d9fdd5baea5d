import {
  applyDoubleCborEncoding,
  CML,
  createCostModels,
  Data,
  mintingPolicyToId,
  PROTOCOL_PARAMETERS_DEFAULT,
  validatorToAddress,
  type MintingPolicy,
  type SpendingValidator,
  type UTxO,
} from '@lucid-evolution/lucid'
import { describe, expect, it } from 'vitest'
import { LagoonError } from '../../../sdk/src/errors/LagoonError.js'
import { DevnetRuleError } from '../src/index.js'
import { GUARDED_MINT_CBOR, GUARDED_SPEND_CBOR } from './fixtures.js'
import { editRedeemers, expectPlainAccepts, expectRejected, forge, outputsWithLovelace, rehash, twin, withBody, type Twin } from './helpers.js'

const costModels = createCostModels(PROTOCOL_PARAMETERS_DEFAULT.costModels)
const spendValidator: SpendingValidator = { type: 'PlutusV2', script: applyDoubleCborEncoding(GUARDED_SPEND_CBOR) }
const scriptAddress = validatorToAddress('Custom', spendValidator)
const mintPolicy: MintingPolicy = { type: 'PlutusV2', script: applyDoubleCborEncoding(GUARDED_MINT_CBOR) }
const policyId = mintingPolicyToId(mintPolicy)

/** A signed payment of `lovelace` from alice to bob (output 0 = bob, last = change). */
async function payment(t: Twin, lovelace = 5_000_000n): Promise<string> {
  const tx = await t.lucid.newTx().pay.ToAddress(t.bob.address, { lovelace }).complete()
  return (await tx.sign.withWallet().complete()).toCBOR()
}

/** Locks 10 ADA at the guarded script (both emulators) and returns a signed valid spend of it. */
async function scriptSpend(t: Twin): Promise<string> {
  const lock = await t.lucid.newTx().pay.ToContract(scriptAddress, { kind: 'inline', value: Data.void() }, { lovelace: 10_000_000n }).complete()
  await t.submitBoth((await lock.sign.withWallet().complete()).toCBOR())
  t.awaitBlockBoth()
  const [utxo] = (await t.strict.getUtxos(scriptAddress)) as [UTxO]
  const spend = await t.lucid.newTx().collectFrom([utxo], Data.to(42n)).attach.SpendingValidator(spendValidator).complete()
  return (await spend.sign.withWallet().complete()).toCBOR()
}

function changeIndex(cbor: string): number {
  return CML.Transaction.from_cbor_hex(cbor).body().outputs().len() - 1
}

describe('valid transactions are accepted', () => {
  it('a payment, with inline datum output, and the Lucid wallet sees it', async () => {
    const t = await twin()
    const tx = await t.lucid
      .newTx()
      .pay.ToAddress(t.bob.address, { lovelace: 3_000_000n })
      .pay.ToAddressWithData(t.bob.address, { kind: 'inline', value: Data.to(123n) }, { lovelace: 2_000_000n })
      .complete()
    const hash = await t.strict.submitTx((await tx.sign.withWallet().complete()).toCBOR())
    t.strict.awaitBlock()
    const bobs = await t.strict.getUtxos(t.bob.address)
    expect(bobs.filter((u) => u.txHash === hash).map((u) => u.assets.lovelace)).toEqual([3_000_000n, 2_000_000n])
    expect(bobs.find((u) => u.txHash === hash && u.datum)?.datum).toBe(Data.to(123n))
  })

  it('a Plutus V2 spend (script runs on the UPLC machine) and a Plutus V2 mint', async () => {
    const t = await twin()
    const hash = await t.strict.submitTx(await scriptSpend(t))
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    t.awaitBlockBoth()
    expect(await t.strict.getUtxos(scriptAddress)).toEqual([])
    const unit = policyId + '74657374'
    const mint = await t.lucid.newTx().mintAssets({ [unit]: 5n }, Data.to(7n)).attach.MintingPolicy(mintPolicy).complete()
    await t.strict.submitTx((await mint.sign.withWallet().complete()).toCBOR())
    t.strict.awaitBlock()
    const aliceUtxos = await t.strict.getUtxos(t.alice.address)
    expect(aliceUtxos.reduce((s, u) => s + (u.assets[unit] ?? 0n), 0n)).toBe(5n)
  })

  it('chained unconfirmed txs: spend an output of a tx in the same block', async () => {
    const t = await twin()
    const [newWalletUtxos, , first] = await t.lucid.newTx().pay.ToAddress(t.bob.address, { lovelace: 4_000_000n }).chain()
    const h1 = await t.strict.submitTx((await first.sign.withWallet().complete()).toCBOR())
    t.lucid.overrideUTxOs(newWalletUtxos)
    const second = await t.lucid.newTx().pay.ToAddress(t.bob.address, { lovelace: 6_000_000n }).complete()
    const h2 = await t.strict.submitTx((await second.sign.withWallet().complete()).toCBOR())
    const spentByH2 = CML.Transaction.from_cbor_hex(t.strict.getTxRecord(h2)!.cbor).body().inputs().get(0).transaction_id().to_hex()
    expect(spentByH2).toBe(h1)
    t.strict.awaitBlock()
    expect(t.strict.getTxBlockHeight(h1)).toBe(1)
    expect(t.strict.getTxBlockHeight(h2)).toBe(1)
  })
})

describe('ledger rules the plain Emulator does not enforce', () => {
  it('VALUE_NOT_CONSERVED: an output raised by 1,000,000 ADA', async () => {
    const t = await twin()
    const cbor = await payment(t)
    const forged = forge(cbor, [t.alice.privateKey], (body) =>
      withBody(body, { outputs: outputsWithLovelace(body.outputs(), 0, body.outputs().get(0).amount().coin() + 1_000_000_000_000n) }),
    )
    const e = await expectRejected(t.strict, forged, 'VALUE_NOT_CONSERVED')
    expect(e).toBeInstanceOf(LagoonError)
    expect(e.details?.consumedMinusProduced).toEqual({ lovelace: '-1000000000000' })
    await expectPlainAccepts(t.plain, forged)
  })

  it('FEE_TOO_SMALL: fee moved into the change output', async () => {
    const t = await twin()
    const cbor = await payment(t)
    const c = changeIndex(cbor)
    const forged = forge(cbor, [t.alice.privateKey], (body) => {
      const cut = body.fee() - 100_000n
      return withBody(body, { fee: 100_000n, outputs: outputsWithLovelace(body.outputs(), c, body.outputs().get(c).amount().coin() + cut) })
    })
    const e = await expectRejected(t.strict, forged, 'FEE_TOO_SMALL')
    expect(BigInt(e.details?.minFee as string)).toBeGreaterThan(100_000n)
    await expectPlainAccepts(t.plain, forged)
  })

  it('OUTPUT_TOO_SMALL: a 0.5 ADA output (min-UTxO rule)', async () => {
    const t = await twin()
    const cbor = await payment(t, 2_000_000n)
    const c = changeIndex(cbor)
    const forged = forge(cbor, [t.alice.privateKey], (body) => {
      const outs = outputsWithLovelace(body.outputs(), 0, 500_000n)
      return withBody(body, { outputs: outputsWithLovelace(outs, c, body.outputs().get(c).amount().coin() + 1_500_000n) })
    })
    const e = await expectRejected(t.strict, forged, 'OUTPUT_TOO_SMALL')
    expect(e.details?.lovelace).toBe('500000')
    await expectPlainAccepts(t.plain, forged)
  })

  it('EXPIRED: the TTL is exclusive (ttl = current slot is already invalid)', async () => {
    const t = await twin()
    t.awaitBlockBoth(2) // slot 40
    const cbor = await payment(t)
    const forged = forge(cbor, [t.alice.privateKey], (body) => body.set_ttl(BigInt(t.strict.slot)))
    await expectRejected(t.strict, forged, 'EXPIRED')
    await expectPlainAccepts(t.plain, forged)
  })

  it('EXPIRED / NOT_YET_VALID are named also where the Emulator rejects too', async () => {
    const t = await twin()
    t.awaitBlockBoth(2)
    const cbor = await payment(t)
    await expectRejected(t.strict, forge(cbor, [t.alice.privateKey], (b) => b.set_ttl(10n)), 'EXPIRED')
    await expectRejected(t.strict, forge(cbor, [t.alice.privateKey], (b) => b.set_validity_interval_start(1000n)), 'NOT_YET_VALID')
  })

  it('COLLATERAL_MISSING: a script spend without collateral inputs', async () => {
    const t = await twin()
    const cbor = await scriptSpend(t)
    const forged = forge(cbor, [t.alice.privateKey], (body) => {
      const b = CML.TransactionBody.from_cbor_hex(body.to_cbor_hex())
      const fresh = withBody(b, {})
      const rebuilt = CML.TransactionBody.new(fresh.inputs(), fresh.outputs(), fresh.fee())
      rebuilt.set_script_data_hash(fresh.script_data_hash()!)
      // alice's key witnessed only the collateral; keep it needed (else the Emulator flags it extraneous)
      const signers = CML.Ed25519KeyHashList.new()
      signers.add(CML.PrivateKey.from_bech32(t.alice.privateKey).to_public().hash())
      rebuilt.set_required_signers(signers)
      return rebuilt
    })
    await expectRejected(t.strict, forged, 'COLLATERAL_MISSING')
    await expectPlainAccepts(t.plain, forged)
  })

  it('COLLATERAL_INSUFFICIENT: the collateral return takes back almost everything', async () => {
    const t = await twin()
    const cbor = await scriptSpend(t)
    const forged = forge(cbor, [t.alice.privateKey], (body) => {
      const ret = body.collateral_return()!
      const total = body.total_collateral()!
      // pledge only 0.1 ADA net; total_collateral updated so only the percentage rule fails
      body.set_collateral_return(CML.TransactionOutput.new(ret.address(), CML.Value.from_coin(ret.amount().coin() + total - 100_000n)))
      body.set_total_collateral(100_000n)
    })
    const e = await expectRejected(t.strict, forged, 'COLLATERAL_INSUFFICIENT')
    expect(e.details?.collateral).toBe('100000')
    await expectPlainAccepts(t.plain, forged)
  })

  it('INCORRECT_TOTAL_COLLATERAL: a declared total that is not collateral in − return', async () => {
    const t = await twin()
    const cbor = await scriptSpend(t)
    const forged = forge(cbor, [t.alice.privateKey], (body) => {
      body.set_total_collateral(body.total_collateral()! + 1n)
    })
    await expectRejected(t.strict, forged, 'INCORRECT_TOTAL_COLLATERAL')
    await expectPlainAccepts(t.plain, forged)
  })

  it('OUTPUT_TOO_SMALL: a collateral return below min-UTxO', async () => {
    const t = await twin()
    const cbor = await scriptSpend(t)
    const forged = forge(cbor, [t.alice.privateKey], (body) => {
      const ret = body.collateral_return()!
      const inputs = ret.amount().coin() + body.total_collateral()!
      // return 0.3 ADA and pledge the rest, so only the min-UTxO rule on the return fails
      body.set_collateral_return(CML.TransactionOutput.new(ret.address(), CML.Value.from_coin(300_000n)))
      body.set_total_collateral(inputs - 300_000n)
    })
    const e = await expectRejected(t.strict, forged, 'OUTPUT_TOO_SMALL')
    expect(JSON.stringify(e.details)).toMatch(/collateral/i)
    await expectPlainAccepts(t.plain, forged)
  })

  it('SCRIPT_INTEGRITY_HASH_MISMATCH: a corrupted script_data_hash', async () => {
    const t = await twin()
    const cbor = await scriptSpend(t)
    const forged = forge(cbor, [t.alice.privateKey], (body) => body.set_script_data_hash(CML.ScriptDataHash.from_hex('ab'.repeat(32))))
    const e = await expectRejected(t.strict, forged, 'SCRIPT_INTEGRITY_HASH_MISMATCH')
    expect(e.details?.declared).toBe('ab'.repeat(32))
    await expectPlainAccepts(t.plain, forged)
  })

  it('SCRIPT_FAILED: the validator rejects redeemer 41, and its trace is in the error', async () => {
    const t = await twin()
    const cbor = await scriptSpend(t)
    const forged = forge(cbor, [t.alice.privateKey], (body, ws) => {
      editRedeemers(ws, () => ({ data: CML.PlutusData.from_cbor_hex(Data.to(41n)) }))
      rehash(body, ws, costModels)
    })
    const e = await expectRejected(t.strict, forged, 'SCRIPT_FAILED')
    expect(e.message).toContain('redeemer must be 42')
    expect(e.details?.logs).toEqual(['redeemer must be 42'])
    expect(e.details?.redeemer).toBe('Spend[0]')
    await expectPlainAccepts(t.plain, forged)
    // a rejected tx leaves no trace: the valid spend still goes through
    await expect(t.strict.submitTx(cbor)).resolves.toMatch(/^[0-9a-f]{64}$/)
  })

  it('EX_UNITS_TOO_LOW: declared memory below what the script uses', async () => {
    const t = await twin()
    const cbor = await scriptSpend(t)
    const forged = forge(cbor, [t.alice.privateKey], (body, ws) => {
      editRedeemers(ws, (r) => ({ mem: r.mem / 2n }))
      rehash(body, ws, costModels)
    })
    const e = await expectRejected(t.strict, forged, 'EX_UNITS_TOO_LOW')
    expect(e.details?.redeemer).toBe('spend#0')
    await expectPlainAccepts(t.plain, forged)
  })

  it('MISSING_INPUT and MISSING_SIGNATURE are named', async () => {
    const t = await twin()
    const cbor = await payment(t)
    const unknown = forge(cbor, [t.alice.privateKey], (body) => {
      const inputs = CML.TransactionInputList.new()
      inputs.add(CML.TransactionInput.new(CML.TransactionHash.from_hex('11'.repeat(32)), 0n))
      const b = CML.TransactionBody.new(inputs, body.outputs(), body.fee())
      return b
    })
    await expectRejected(t.strict, unknown, 'MISSING_INPUT')
    const unsigned = forge(cbor, [], () => undefined)
    const e = await expectRejected(t.strict, unsigned, 'MISSING_SIGNATURE')
    expect(e.details?.keyHash).toBe(CML.PrivateKey.from_bech32(t.alice.privateKey).to_public().hash().to_hex())
    expect(e.details?.purpose).toMatch(/^spend of /)
    expect(e).toBeInstanceOf(DevnetRuleError)
  })

  it('SCRIPT_FAILED on a minting policy: its trace names why', async () => {
    const t = await twin()
    const unit = policyId + '74657374'
    const mint = await t.lucid.newTx().mintAssets({ [unit]: 1n }, Data.to(7n)).attach.MintingPolicy(mintPolicy).complete()
    const cbor = (await mint.sign.withWallet().complete()).toCBOR()
    const forged = forge(cbor, [t.alice.privateKey], (body, ws) => {
      editRedeemers(ws, () => ({ data: CML.PlutusData.from_cbor_hex(Data.to(8n)) }))
      rehash(body, ws, costModels)
    })
    const e = await expectRejected(t.strict, forged, 'SCRIPT_FAILED')
    expect(e.details?.logs).toEqual(['mint redeemer must be 7'])
    await expectPlainAccepts(t.plain, forged)
  })
})

describe('reference scripts', () => {
  it('a spend through a reference script is accepted (reference-script fee and language view included)', async () => {
    const t = await twin()
    const deploy = await t.lucid
      .newTx()
      .pay.ToAddressWithData(t.bob.address, undefined, { lovelace: 20_000_000n }, spendValidator)
      .pay.ToContract(scriptAddress, { kind: 'inline', value: Data.void() }, { lovelace: 10_000_000n })
      .complete()
    await t.strict.submitTx((await deploy.sign.withWallet().complete()).toCBOR())
    t.strict.awaitBlock()
    const refUtxo = (await t.strict.getUtxos(t.bob.address)).find((u) => u.scriptRef)!
    const [locked] = (await t.strict.getUtxos(scriptAddress)) as [UTxO]
    const spend = await t.lucid.newTx().collectFrom([locked], Data.to(42n)).readFrom([refUtxo]).complete()
    const hash = await t.strict.submitTx((await spend.sign.withWallet().complete()).toCBOR())
    t.strict.awaitBlock()
    expect(t.strict.getTxBlockHeight(hash)).toBe(2)
  })
})

/** `body` paying `extra` more fee out of its last (change) output, for witnesses a forge adds. */
function payMoreFee(body: CML.TransactionBody, extra = 100_000n): CML.TransactionBody {
  const c = body.outputs().len() - 1
  return withBody(body, { fee: body.fee() + extra, outputs: outputsWithLovelace(body.outputs(), c, body.outputs().get(c).amount().coin() - extra) })
}

describe('witnesses: exactly what the ledger needs', () => {
  it('EXTRANEOUS_WITNESS: a signature nobody needs (the devnet\'s own strictness; a node accepts it), a script nobody runs', async () => {
    const t = await twin()
    const cbor = await payment(t)
    const extraKey = forge(cbor, [t.alice.privateKey, t.bob.privateKey], (body) => payMoreFee(body))
    const e = await expectRejected(t.strict, extraKey, 'EXTRANEOUS_WITNESS')
    expect(e.details?.keyHash).toBe(CML.PrivateKey.from_bech32(t.bob.privateKey).to_public().hash().to_hex())
    const extraScript = forge(cbor, [t.alice.privateKey], (body, ws) => {
      const list = CML.PlutusV2ScriptList.new()
      list.add(CML.PlutusV2Script.from_cbor_hex(mintPolicy.script))
      ws.set_plutus_v2_scripts(list)
      return payMoreFee(body)
    })
    expect((await expectRejected(t.strict, extraScript, 'EXTRANEOUS_WITNESS')).details?.scriptHash).toBe(policyId)
  })

  it('EXTRA_REDEEMER: a redeemer for a purpose no script has', async () => {
    const t = await twin()
    const cbor = await scriptSpend(t)
    const forged = forge(cbor, [t.alice.privateKey], (body, ws) => {
      const list = CML.LegacyRedeemerList.new()
      const arr = ws.redeemers()!.as_arr_legacy_redeemer()!
      for (let i = 0; i < arr.len(); i++) list.add(arr.get(i))
      list.add(CML.LegacyRedeemer.new(CML.RedeemerTag.Mint, 0n, CML.PlutusData.from_cbor_hex(Data.to(7n)), CML.ExUnits.new(1000n, 100_000n)))
      ws.set_redeemers(CML.Redeemers.new_arr_legacy_redeemer(list))
      const b = payMoreFee(body)
      rehash(b, ws, costModels)
      return b
    })
    expect((await expectRejected(t.strict, forged, 'EXTRA_REDEEMER')).details?.redeemer).toBe('mint#0')
    await expectPlainAccepts(t.plain, forged)
  })

  it('GOVERNANCE_UNSUPPORTED: a proposal (the devnet keeps no governance state)', async () => {
    const t = await twin()
    const cbor = await payment(t)
    const forged = forge(cbor, [t.alice.privateKey], (body) => {
      const list = CML.ProposalProcedureList.new()
      const anchor = CML.Anchor.new(CML.Url.from_json('"https://example.com"'), CML.AnchorDocHash.from_hex('00'.repeat(32)))
      const account = CML.RewardAddress.new(0, CML.Credential.new_pub_key(CML.PrivateKey.from_bech32(t.alice.privateKey).to_public().hash()))
      list.add(CML.ProposalProcedure.new(100_000_000_000n, account, CML.GovAction.new_info_action(), anchor))
      body.set_proposal_procedures(list)
    })
    await expectRejected(t.strict, forged, 'GOVERNANCE_UNSUPPORTED')
  })
})
