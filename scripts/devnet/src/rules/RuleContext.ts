import type { CML, ProtocolParameters, UTxO } from '@lucid-evolution/lucid'
import type { CertState } from '../ledger/CertState.js'

/**
 * Everything a rule needs to judge one transaction: the decoded tx, its exact size, the UTxOs it
 * spends / reads / pledges as collateral (already resolved), the protocol parameters, the ledger's
 * cert state before the tx and the clock.
 *
 * @example
 * const ctx: RuleContext = buildRuleContext(cbor, chain)
 * checkFee(ctx)
 */
export interface RuleContext {
  readonly tx: CML.Transaction
  readonly body: CML.TransactionBody
  /** The tx exactly as submitted. */
  readonly txBytes: Uint8Array
  readonly txHash: string
  readonly inputs: readonly UTxO[]
  readonly referenceInputs: readonly UTxO[]
  readonly collateralInputs: readonly UTxO[]
  readonly protocolParameters: ProtocolParameters
  /** Registered stake credentials, pools and DReps before this tx (rules read it, never change it). */
  readonly certState: CertState
  readonly costModels: CML.CostModels
  /** The devnet's current slot. */
  readonly slot: number
  /** Slot 0 ↔ this POSIX time in ms; 1 slot = `slotLength` ms. */
  readonly slotConfig: { readonly zeroTime: number; readonly zeroSlot: number; readonly slotLength: number }
}
