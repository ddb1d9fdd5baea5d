import { CML, createCostModels, type ProtocolParameters } from '@lucid-evolution/lucid'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { CertState } from '../ledger/CertState.js'
import { resolveInputs, type UtxoEntry } from './resolveInputs.js'
import type { RuleContext } from './RuleContext.js'

/**
 * What the devnet tells the rules about its state when a tx is submitted.
 *
 * @example
 * const chain: ChainState = { lookup: (ref) => ledger[ref] ?? mempool[ref], protocolParameters, certState, slot: 40, genesisTime }
 */
export interface ChainState {
  /** The UTxO at a flat out-ref (tx hash + index): the confirmed ledger first, then the mempool. */
  readonly lookup: (flatOutRef: string) => UtxoEntry | undefined
  readonly protocolParameters: ProtocolParameters
  readonly certState: CertState
  readonly slot: number
  /** POSIX ms of slot 0 (one-second slots). */
  readonly genesisTime: number
}

/**
 * Decodes a submitted tx (`MALFORMED_TX` if it is no Conway tx) and resolves its inputs, reference
 * inputs and collateral (`MISSING_INPUT`) into the context every rule reads.
 *
 * @example
 * const ctx = buildRuleContext(cbor, chain)
 */
export function buildRuleContext(cbor: string, chain: ChainState): RuleContext {
  let tx: CML.Transaction
  try {
    tx = CML.Transaction.from_cbor_hex(cbor)
  } catch (error) {
    throw new DevnetRuleError('MALFORMED_TX', `tx is not a valid Conway transaction: ${String(error)}`, { cause: error })
  }
  const body = tx.body()
  return {
    tx,
    body,
    txBytes: Buffer.from(cbor, 'hex'),
    txHash: CML.hash_transaction(body).to_hex(),
    inputs: resolveInputs(body.inputs(), chain.lookup, 'input'),
    referenceInputs: resolveInputs(body.reference_inputs(), chain.lookup, 'reference input'),
    collateralInputs: resolveInputs(body.collateral_inputs(), chain.lookup, 'collateral input'),
    protocolParameters: chain.protocolParameters,
    certState: chain.certState,
    costModels: createCostModels(chain.protocolParameters.costModels),
    slot: chain.slot,
    slotConfig: { zeroTime: chain.genesisTime, zeroSlot: 0, slotLength: 1000 },
  }
}
