import {
  CML,
  Emulator,
  Lucid,
  type EmulatorAccount,
  type LucidEvolution,
} from '@lucid-evolution/lucid'
import { expect } from 'vitest'
import { createDevnet, createTestAccounts, DevnetRuleError, StrictEmulator, type DevnetRuleCode } from '../src/index.js'

/** A strict devnet and a plain Emulator with the same genesis, fed the same setup txs. */
export interface Twin {
  readonly strict: StrictEmulator
  readonly plain: Emulator
  readonly lucid: LucidEvolution
  readonly alice: EmulatorAccount
  readonly bob: EmulatorAccount
  /** Submits to both (the setup must be valid for both), returns the tx hash. */
  submitBoth(cbor: string): Promise<string>
  awaitBlockBoth(n?: number): void
}

export async function twin(): Promise<Twin> {
  const [alice, bob] = createTestAccounts(2, { lovelace: 1_000_000_000n }) as [EmulatorAccount, EmulatorAccount]
  const strict = createDevnet({ accounts: [alice, bob] })
  const plain = new Emulator([alice, bob])
  const lucid = await Lucid(strict, 'Custom')
  lucid.selectWallet.fromPrivateKey(alice.privateKey)
  return {
    strict,
    plain,
    lucid,
    alice,
    bob,
    async submitBoth(cbor) {
      const h = await strict.submitTx(cbor)
      await plain.submitTx(cbor)
      return h
    },
    awaitBlockBoth(n = 1) {
      strict.awaitBlock(n)
      plain.awaitBlock(n)
    },
  }
}

/**
 * Re-encodes a tx after `mutate` edits its body (and optionally its witness set), then re-signs
 * it with `keys` (bech32 ed25519 private keys), replacing the vkey witnesses.
 */
export function forge(
  cbor: string,
  keys: readonly string[],
  mutate: (body: CML.TransactionBody, witnesses: CML.TransactionWitnessSet) => CML.TransactionBody | void,
): string {
  const tx = CML.Transaction.from_cbor_hex(cbor)
  const ws = tx.witness_set()
  const original = tx.body()
  const body = mutate(original, ws) ?? original
  const hash = CML.hash_transaction(body)
  const vkeys = CML.VkeywitnessList.new()
  for (const k of keys) vkeys.add(CML.make_vkey_witness(hash, CML.PrivateKey.from_bech32(k)))
  ws.set_vkeywitnesses(vkeys)
  return CML.Transaction.new(body, ws, true, tx.auxiliary_data()).to_cbor_hex()
}

/** Recomputes the body's script_data_hash after the witness set was edited. */
export function rehash(body: CML.TransactionBody, ws: CML.TransactionWitnessSet, costModels: CML.CostModels): void {
  const langs = CML.LanguageList.new()
  langs.add(CML.Language.PlutusV2)
  const h = CML.calc_script_data_hash(ws.redeemers()!, ws.plutus_datums() ?? CML.PlutusDataList.new(), costModels, langs)
  if (h) body.set_script_data_hash(h)
}

/** Asserts that the plain Emulator accepts `cbor` (so the rule that rejects it is ours). */
export async function expectPlainAccepts(plain: Emulator, cbor: string): Promise<void> {
  await expect(plain.submitTx(cbor)).resolves.toMatch(/^[0-9a-f]{64}$/)
}

/** Asserts that the strict devnet rejects `cbor` with `code`; returns the error. */
export async function expectRejected(strict: StrictEmulator, cbor: string, code: DevnetRuleCode): Promise<DevnetRuleError> {
  const error = await strict.submitTx(cbor).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DevnetRuleError)
  expect((error as DevnetRuleError).code).toBe(code)
  return error as DevnetRuleError
}

/** Returns a copy of `body` with new inputs, outputs and/or fee, or without its script data hash (every other field kept). */
export function withBody(
  body: CML.TransactionBody,
  change: { inputs?: CML.TransactionInputList; outputs?: CML.TransactionOutputList; fee?: bigint; scriptDataHash?: null },
): CML.TransactionBody {
  const b = CML.TransactionBody.new(change.inputs ?? body.inputs(), change.outputs ?? body.outputs(), change.fee ?? body.fee())
  const ttl = body.ttl(); if (ttl !== undefined) b.set_ttl(ttl)
  const certs = body.certs(); if (certs) b.set_certs(certs)
  const w = body.withdrawals(); if (w) b.set_withdrawals(w)
  const aux = body.auxiliary_data_hash(); if (aux) b.set_auxiliary_data_hash(aux)
  const start = body.validity_interval_start(); if (start !== undefined) b.set_validity_interval_start(start)
  const mint = body.mint(); if (mint) b.set_mint(mint)
  const sdh = body.script_data_hash(); if (sdh && change.scriptDataHash !== null) b.set_script_data_hash(sdh)
  const ci = body.collateral_inputs(); if (ci) b.set_collateral_inputs(ci)
  const rs = body.required_signers(); if (rs) b.set_required_signers(rs)
  const nid = body.network_id(); if (nid) b.set_network_id(nid)
  const cr = body.collateral_return(); if (cr) b.set_collateral_return(cr)
  const tc = body.total_collateral(); if (tc !== undefined) b.set_total_collateral(tc)
  const ri = body.reference_inputs(); if (ri) b.set_reference_inputs(ri)
  return b
}

/** A copy of `outputs` where output `index` holds `lovelace` (other assets, datum, script kept). */
export function outputsWithLovelace(outputs: CML.TransactionOutputList, index: number, lovelace: bigint): CML.TransactionOutputList {
  const list = CML.TransactionOutputList.new()
  for (let i = 0; i < outputs.len(); i++) {
    const out = outputs.get(i)
    list.add(i === index ? CML.TransactionOutput.new(out.address(), CML.Value.new(lovelace, out.amount().multi_asset()), out.datum(), out.script_ref()) : out)
  }
  return list
}

/** Rewrites the (legacy-array) redeemers of a witness set through `edit`. */
export function editRedeemers(
  ws: CML.TransactionWitnessSet,
  edit: (r: { tag: CML.RedeemerTag; index: bigint; data: CML.PlutusData; mem: bigint; steps: bigint }) => { data?: CML.PlutusData; mem?: bigint; steps?: bigint },
): void {
  const arr = ws.redeemers()!.as_arr_legacy_redeemer()!
  const list = CML.LegacyRedeemerList.new()
  for (let i = 0; i < arr.len(); i++) {
    const r = arr.get(i)
    const cur = { tag: r.tag(), index: r.index(), data: r.data(), mem: r.ex_units().mem(), steps: r.ex_units().steps() }
    const next = { ...cur, ...edit(cur) }
    list.add(CML.LegacyRedeemer.new(next.tag, next.index, next.data, CML.ExUnits.new(next.mem, next.steps)))
  }
  ws.set_redeemers(CML.Redeemers.new_arr_legacy_redeemer(list))
}

/**
 * The CBOR hex of a native script of exactly `size` bytes (ledger-counted): `ScriptAll` of
 * `InvalidBefore` clauses (`[4, 0]` is 3 bytes, `[4, 24]` 4), never run, only its size matters.
 */
export function nativeScriptOfSize(size: number): string {
  for (let long = 0; long < 3; long++) {
    const rest = size - 5 - 4 * long // 82 01 + a 3-byte array header (99 nn nn)
    const short = rest / 3
    if (!Number.isInteger(short) || short < 0 || short + long < 256 || short + long > 0xffff) continue
    const count = short + long
    const hex = '8201' + '99' + count.toString(16).padStart(4, '0') + '820400'.repeat(short) + '82041818'.repeat(long)
    if (CML.NativeScript.from_cbor_hex(hex).to_cbor_hex() !== hex) throw new RangeError('native script did not round-trip')
    return hex
  }
  throw new RangeError(`cannot build a native script of ${size} bytes`)
}
