import { CML, applySingleCborEncoding, datumToHash, validatorToScriptHash, type ProtocolParameters, type Script, type UTxO } from '@lucid-evolution/lucid'
import type { BlockRecord, StrictEmulator } from '../StrictEmulator.js'
import type { ChainIndex } from './ChainIndex.js'

/** Blockfrost's `[{ unit, quantity }]`, lovelace first. */
export type BlockfrostAmount = { unit: string; quantity: string }[]

/**
 * Slots per epoch on the devnet (mainnet's 432,000: the devnet never changes epoch in practice).
 *
 * @example
 * Math.floor(slot / EPOCH_LENGTH) // the epoch
 */
export const EPOCH_LENGTH = 432_000

/**
 * Assets as Blockfrost lists them.
 *
 * @example
 * amountJson({ lovelace: 5n }) // [{ unit: 'lovelace', quantity: '5' }]
 */
export function amountJson(assets: Record<string, bigint>): BlockfrostAmount {
  const units = Object.keys(assets).filter((u) => u !== 'lovelace' && (assets[u] ?? 0n) !== 0n).sort()
  return [{ unit: 'lovelace', quantity: String(assets.lovelace ?? 0n) }, ...units.map((unit) => ({ unit, quantity: String(assets[unit]) }))]
}

/**
 * One UTxO as `/addresses/{a}/utxos` returns it.
 *
 * @example
 * utxoJson(utxo, blockHash)
 */
export function utxoJson(u: UTxO, block: string): Record<string, unknown> {
  return {
    address: u.address,
    tx_hash: u.txHash,
    tx_index: u.outputIndex,
    output_index: u.outputIndex,
    amount: amountJson(u.assets),
    block,
    data_hash: u.datumHash ?? (u.datum ? datumToHash(u.datum) : null),
    inline_datum: u.datum ?? null,
    reference_script_hash: u.scriptRef ? scriptHashOrNull(u.scriptRef) : null,
  }
}

function scriptHashOrNull(s: Script): string | null {
  try {
    return validatorToScriptHash(s)
  } catch {
    return null
  }
}

/**
 * `/scripts/{hash}`: Blockfrost's script type names.
 *
 * @example
 * scriptJson(hash, { type: 'PlutusV2', script })
 */
export function scriptJson(hash: string, s: Script): Record<string, unknown> {
  const type = { Native: 'timelock', PlutusV1: 'plutusV1', PlutusV2: 'plutusV2', PlutusV3: 'plutusV3' }[s.type]
  const size = (s.type === 'Native' ? s.script : applySingleCborEncoding(s.script)).length / 2
  return { script_hash: hash, type, serialised_size: size }
}

/**
 * `/scripts/{hash}/cbor`: Plutus scripts single-CBOR-encoded, as Blockfrost serves them.
 *
 * @example
 * scriptCbor({ type: 'PlutusV2', script }) // '59…'
 */
export function scriptCbor(s: Script): string | null {
  return s.type === 'Native' ? null : applySingleCborEncoding(s.script)
}

/**
 * `/epochs/latest/parameters` from the devnet's protocol parameters (what Lucid's `Blockfrost`
 * provider reads, plus the usual Blockfrost fields with mainnet-like values).
 *
 * @example
 * protocolParametersJson(devnet.protocolParameters, 0)
 */
export function protocolParametersJson(pp: ProtocolParameters, epoch: number): Record<string, unknown> {
  return {
    epoch,
    min_fee_a: pp.minFeeA,
    min_fee_b: pp.minFeeB,
    max_block_size: 90_112,
    max_tx_size: pp.maxTxSize,
    max_block_header_size: 1100,
    key_deposit: String(pp.keyDeposit),
    pool_deposit: String(pp.poolDeposit),
    e_max: 18,
    n_opt: 500,
    a0: 0.3,
    rho: 0.003,
    tau: 0.2,
    decentralisation_param: 0,
    extra_entropy: null,
    protocol_major_ver: 9,
    protocol_minor_ver: 0,
    min_utxo: String(pp.coinsPerUtxoByte),
    min_pool_cost: '170000000',
    nonce: '00'.repeat(32),
    cost_models: Object.fromEntries(Object.entries(pp.costModels).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([i, c]) => [i, c]))])),
    cost_models_raw: pp.costModels,
    price_mem: pp.priceMem,
    price_step: pp.priceStep,
    max_tx_ex_mem: String(pp.maxTxExMem),
    max_tx_ex_steps: String(pp.maxTxExSteps),
    max_block_ex_mem: String(pp.maxTxExMem * 4n),
    max_block_ex_steps: String(pp.maxTxExSteps * 2n),
    max_val_size: String(pp.maxValSize),
    collateral_percent: pp.collateralPercentage,
    max_collateral_inputs: pp.maxCollateralInputs,
    coins_per_utxo_size: String(pp.coinsPerUtxoByte),
    coins_per_utxo_word: String(pp.coinsPerUtxoByte * 8n),
    drep_deposit: String(pp.drepDeposit),
    gov_action_deposit: String(pp.govActionDeposit),
    min_fee_ref_script_cost_per_byte: pp.minFeeRefScriptCostPerByte,
  }
}

/**
 * POSIX seconds of a slot on the devnet (1 s slots from `genesisTime`).
 *
 * @example
 * slotTime(devnet, devnet.getTip().slot) // Blockfrost's block `time`
 */
export function slotTime(devnet: StrictEmulator, slot: number): number {
  return Math.floor((devnet.genesisTime + slot * 1000) / 1000)
}

/**
 * `/blocks/{hash_or_number}` and `/blocks/latest`.
 *
 * @example
 * blockJson(devnet, devnet.getBlock(devnet.getTip().height)!)
 */
export function blockJson(devnet: StrictEmulator, b: BlockRecord): Record<string, unknown> {
  const tip = devnet.getTip()
  const next = devnet.getBlock(b.height + 1)
  const fees = b.txs.reduce((s, t) => s + BigInt(CML.Transaction.from_cbor_hex(t.cbor).body().fee()), 0n)
  return {
    time: slotTime(devnet, b.slot),
    height: b.height,
    hash: b.hash,
    slot: b.slot,
    epoch: Math.floor(b.slot / EPOCH_LENGTH),
    epoch_slot: b.slot % EPOCH_LENGTH,
    slot_leader: 'devnet',
    size: b.txs.reduce((s, t) => s + t.cbor.length / 2, 0),
    tx_count: b.txs.length,
    output: null,
    fees: String(fees),
    block_vrf: null,
    op_cert: null,
    op_cert_counter: null,
    previous_block: b.height === 0 ? null : b.prevHash,
    next_block: next?.hash ?? null,
    confirmations: tip.height - b.height,
  }
}

/**
 * `/txs/{hash}` for a confirmed tx.
 *
 * @example
 * txJson(devnet, index, txHash)
 */
export function txJson(devnet: StrictEmulator, index: ChainIndex, txHash: string): Record<string, unknown> | undefined {
  const at = index.tx(txHash)
  if (!at) return undefined
  const tx = CML.Transaction.from_cbor_hex(at.record.cbor)
  const body = tx.body()
  const outs = index.outputsOf(txHash)
  const total: Record<string, bigint> = {}
  for (const o of outs) for (const [u, q] of Object.entries(o.assets)) total[u] = (total[u] ?? 0n) + q
  const w = tx.witness_set()
  const redeemers = w.redeemers()
  const redeemerCount = redeemers ? (redeemers.as_arr_legacy_redeemer()?.len() ?? redeemers.as_map_redeemer_key_to_redeemer_val()?.keys().len() ?? 0) : 0
  return {
    hash: txHash,
    block: at.block.hash,
    block_height: at.block.height,
    block_time: slotTime(devnet, at.block.slot),
    slot: at.block.slot,
    index: at.index,
    output_amount: amountJson(total),
    fees: String(body.fee()),
    deposit: '0',
    size: at.record.cbor.length / 2,
    invalid_before: body.validity_interval_start() === undefined ? null : String(body.validity_interval_start()),
    invalid_hereafter: body.ttl() === undefined ? null : String(body.ttl()),
    utxo_count: at.record.spent.length + outs.length,
    withdrawal_count: body.withdrawals()?.len() ?? 0,
    mir_cert_count: 0,
    delegation_count: 0,
    stake_cert_count: 0,
    pool_update_count: 0,
    pool_retire_count: 0,
    asset_mint_or_burn_count: body.mint()?.policy_count() ?? 0,
    redeemer_count: redeemerCount,
    valid_contract: true,
  }
}

/**
 * `/txs/{hash}/utxos` for a confirmed tx (or the genesis pseudo-tx): inputs (collateral and
 * reference inputs flagged) and outputs with `consumed_by_tx`.
 *
 * @example
 * txUtxosJson(index, txHash)?.outputs
 */
export function txUtxosJson(index: ChainIndex, txHash: string, genesisHash: string): Record<string, unknown> | undefined {
  const at = index.tx(txHash)
  const outs = index.outputsOf(txHash)
  if (!at && !(txHash === genesisHash && outs.length > 0)) return undefined
  const inputs: Record<string, unknown>[] = []
  if (at) {
    const body = CML.Transaction.from_cbor_hex(at.record.cbor).body()
    const add = (list: CML.TransactionInputList | undefined, flags: { collateral: boolean; reference: boolean }) => {
      for (let i = 0; i < (list?.len() ?? 0); i++) {
        const inp = list!.get(i)
        const h = inp.transaction_id().to_hex()
        const ix = Number(inp.index())
        const u = index.output(h, ix)
        if (!u) continue
        inputs.push({
          address: u.address,
          amount: amountJson(u.assets),
          tx_hash: h,
          output_index: ix,
          data_hash: u.datumHash ?? (u.datum ? datumToHash(u.datum) : null),
          inline_datum: u.datum ?? null,
          reference_script_hash: u.scriptRef ? scriptHashOrNull(u.scriptRef) : null,
          collateral: flags.collateral,
          reference: flags.reference,
        })
      }
    }
    add(body.inputs(), { collateral: false, reference: false })
    add(body.collateral_inputs(), { collateral: true, reference: false })
    add(body.reference_inputs(), { collateral: false, reference: true })
  }
  return {
    hash: txHash,
    inputs,
    outputs: outs.map((u) => ({
      address: u.address,
      amount: amountJson(u.assets),
      output_index: u.outputIndex,
      data_hash: u.datumHash ?? (u.datum ? datumToHash(u.datum) : null),
      inline_datum: u.datum ?? null,
      collateral: false,
      reference_script_hash: u.scriptRef ? scriptHashOrNull(u.scriptRef) : null,
      consumed_by_tx: index.consumedBy(txHash, u.outputIndex) ?? null,
    })),
  }
}
