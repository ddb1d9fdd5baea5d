import { CML, applyDoubleCborEncoding, createCostModels, utxoToTransactionInput, utxoToTransactionOutput, type Script, type UTxO } from '@lucid-evolution/lucid'
import * as UPLC from '@lucid-evolution/uplc'
import { extractLogs } from '../rules/runPhaseTwo.js'
import type { StrictEmulator } from '../StrictEmulator.js'
import { BlockfrostHttpError } from './BlockfrostHttpError.js'

/** Ogmios v5's redeemer purpose names, by CML's numeric tag (what Lucid's Blockfrost provider parses). */
const OGMIOS_TAGS = ['spend', 'mint', 'certificate', 'withdrawal', 'vote', 'propose'] as const

/** The evaluator's trace names its failing redeemer as `Spend[0]`, `Mint[1]`, … */
const FAILED_REDEEMER = /(Spend|Mint|Cert|Reward|Vote|Propose)\w*\[(\d+)\]/
const TRACE_TAG: Record<string, string> = { Spend: 'spend', Mint: 'mint', Cert: 'certificate', Reward: 'withdrawal', Vote: 'vote', Propose: 'propose' }

/**
 * Ogmios v5's `EvaluateTx` answer wrapped the way Blockfrost's `/utils/txs/evaluate` returns it.
 *
 * @example
 * ogmiosResponse({ EvaluationResult: { 'spend:0': { memory: 1700, steps: 476468 } } })
 */
export function ogmiosResponse(result: Record<string, unknown>): Record<string, unknown> {
  return { type: 'jsonwsp/response', version: '1.0', servicename: 'ogmios', methodname: 'EvaluateTx', result, reflection: { id: 'devnet' } }
}

/**
 * Parses Blockfrost's `additionalUtxoSet` (Ogmios v5 `[[{ txId, index }, { address, value: { coins,
 * assets }, datumHash?, datum?, script? }], …]`) into Lucid UTxOs. Throws a 400 on a malformed entry.
 *
 * @example
 * parseAdditionalUtxos([[{ txId, index: 0 }, { address, value: { coins: 2000000 } }]])
 */
export function parseAdditionalUtxos(raw: unknown): UTxO[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw new BlockfrostHttpError(400, 'additionalUtxoSet must be an array of [outRef, output] pairs')
  return raw.map((pair, i) => {
    const where = `additionalUtxoSet[${i}]`
    if (!Array.isArray(pair) || pair.length !== 2) throw new BlockfrostHttpError(400, `${where} must be a [outRef, output] pair`)
    const [ref, out] = pair as [Record<string, unknown>, Record<string, unknown>]
    if (typeof ref?.txId !== 'string' || !/^[0-9a-f]{64}$/.test(ref.txId) || !Number.isInteger(ref.index)) {
      throw new BlockfrostHttpError(400, `${where}[0] must be { txId: 64 hex, index: integer }`)
    }
    const value = out?.value as { coins?: unknown; assets?: Record<string, unknown> } | undefined
    if (typeof out?.address !== 'string' || value === undefined || (typeof value.coins !== 'number' && typeof value.coins !== 'string')) {
      throw new BlockfrostHttpError(400, `${where}[1] must be { address, value: { coins, assets? } }`)
    }
    const assets: Record<string, bigint> = { lovelace: BigInt(value.coins) }
    for (const [unit, q] of Object.entries(value.assets ?? {})) assets[unit.replace('.', '')] = BigInt(q as number)
    const utxo: UTxO = { txHash: ref.txId, outputIndex: ref.index as number, address: out.address, assets }
    if (typeof out.datumHash === 'string') utxo.datumHash = out.datumHash
    if (typeof out.datum === 'string') utxo.datum = out.datum
    const script = scriptOf(out.script)
    if (script) utxo.scriptRef = script
    return utxo
  })
}

function scriptOf(raw: unknown): Script | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const r = raw as Record<string, string>
  if (r['plutus:v1']) return { type: 'PlutusV1', script: applyDoubleCborEncoding(r['plutus:v1']) }
  if (r['plutus:v2']) return { type: 'PlutusV2', script: applyDoubleCborEncoding(r['plutus:v2']) }
  if (r['plutus:v3']) return { type: 'PlutusV3', script: applyDoubleCborEncoding(r['plutus:v3']) }
  return undefined
}

/**
 * Runs every script of `cbor` on the UPLC machine (the evaluator the strict devnet's phase 2 uses),
 * inputs resolved from `additional` first, then the devnet's ledger and mempool, with the devnet's
 * cost models and slot config. Returns Ogmios v5's result: `{ EvaluationResult: { 'spend:0':
 * { memory, steps } } }`, or `{ EvaluationFailure: … }` (unknown inputs, script failures with traces).
 *
 * @example
 * const result = evaluateTx(devnet, draftCbor, [])
 */
export function evaluateTx(devnet: StrictEmulator, cbor: string, additional: readonly UTxO[]): Record<string, unknown> {
  let tx: CML.Transaction
  try {
    tx = CML.Transaction.from_cbor_hex(cbor)
  } catch (e) {
    throw new BlockfrostHttpError(400, `the body is not a valid transaction: ${String(e)}`)
  }
  const body = tx.body()
  const extra = new Map(additional.map((u) => [u.txHash + u.outputIndex, u]))
  const resolved: UTxO[] = []
  const unknown: string[] = []
  const resolve = (list: CML.TransactionInputList | undefined) => {
    for (let i = 0; i < (list?.len() ?? 0); i++) {
      const inp = list!.get(i)
      const flat = inp.transaction_id().to_hex() + inp.index().toString()
      const u = extra.get(flat) ?? devnet.ledger[flat]?.utxo ?? devnet.mempool[flat]?.utxo
      if (u) resolved.push(u)
      else unknown.push(`${inp.transaction_id().to_hex()}#${inp.index()}`)
    }
  }
  resolve(body.inputs())
  resolve(body.reference_inputs())
  if (unknown.length > 0) return { EvaluationFailure: { UnknownInputs: unknown } }
  const pp = devnet.protocolParameters
  let results: Uint8Array[]
  try {
    results = UPLC.eval_phase_two_raw(
      tx.to_cbor_bytes(),
      resolved.map((u) => utxoToTransactionInput(u).to_cbor_bytes()),
      resolved.map((u) => utxoToTransactionOutput(u).to_cbor_bytes()),
      createCostModels(pp.costModels).to_cbor_bytes(),
      pp.maxTxExSteps,
      pp.maxTxExMem,
      BigInt(devnet.genesisTime),
      0n,
      1000,
    )
  } catch (error) {
    const raw = typeof error === 'string' ? error : error instanceof Error ? error.message : JSON.stringify(error)
    const m = FAILED_REDEEMER.exec(raw)
    const pointer = m ? `${TRACE_TAG[m[1]!]}:${m[2]}` : 'unknown:0'
    return { EvaluationFailure: { ScriptFailures: { [pointer]: [{ validatorFailed: { error: raw, traces: extractLogs(raw) } }] } } }
  }
  const out: Record<string, { memory: number; steps: number }> = {}
  for (const bytes of results) {
    const r = CML.LegacyRedeemer.from_cbor_bytes(bytes)
    out[`${OGMIOS_TAGS[r.tag()] ?? `tag${r.tag()}`}:${r.index()}`] = { memory: Number(r.ex_units().mem()), steps: Number(r.ex_units().steps()) }
  }
  return { EvaluationResult: out }
}
