/**
 * Lagoon's scripts, read from the CIP-57 blueprint (`onchain/plutus.json`) — never from the sources —
 * with their parameters applied the Aiken way (Lucid's `applyParamsToScript`).
 */
import {
  applyDoubleCborEncoding,
  applyParamsToScript,
  mintingPolicyToId,
  validatorToAddress,
  validatorToScriptHash,
  type MintingPolicy,
  type Network,
  type SpendingValidator,
} from '@lucid-evolution/lucid'
import release from '../../../onchain/plutus.json' with { type: 'json' }
import debug from '../../../onchain/plutus.debug.json' with { type: 'json' }
import { outRefToData, STATE_TOKEN_NAME, type OutRef } from './data.js'

/** A CIP-57 blueprint, as far as we read it. */
export interface Blueprint {
  validators: { title: string; compiledCode: string; hash: string; parameters?: { title: string }[] }[]
}

/** The release blueprint (optimized); `DEBUG_BLUEPRINT` keeps traces (tests only). */
export const BLUEPRINT: Blueprint = release
/** The debug blueprint: same validators, `error` messages kept. For tests. */
export const DEBUG_BLUEPRINT: Blueprint = debug

/** One Lagoon instance's scripts, hashes and addresses. */
export interface LagoonScripts {
  seed: OutRef
  stateToken: MintingPolicy
  /** The state token's policy id: the instance id. */
  policyId: string
  /** `policyId + '6c61676f6f6e'`. */
  unit: string
  deposit: SpendingValidator
  depositHash: string
  depositAddress: string
  anchor: SpendingValidator
  anchorHash: string
  anchorAddress: string
}

function code(bp: Blueprint, title: string): string {
  const v = bp.validators.find((x) => x.title === title)
  if (!v) throw new Error(`blueprint has no validator ${title}`)
  return applyDoubleCborEncoding(v.compiledCode)
}

/**
 * The scripts of the instance whose state token is minted by spending `seed`.
 *
 * @example
 * const s = lagoonScripts({ txHash, outputIndex: 0 }, 'Custom')
 * s.anchorAddress // addr_test1w…
 */
export function lagoonScripts(seed: OutRef, network: Network, opts: { debug?: boolean } = {}): LagoonScripts {
  const bp = opts.debug ? DEBUG_BLUEPRINT : BLUEPRINT
  const stateToken: MintingPolicy = { type: 'PlutusV2', script: applyParamsToScript(code(bp, 'state_token.mint'), [outRefToData(seed)]) }
  const policyId = mintingPolicyToId(stateToken)
  const deposit: SpendingValidator = { type: 'PlutusV2', script: applyParamsToScript(code(bp, 'deposit.spend'), [policyId]) }
  const depositHash = validatorToScriptHash(deposit)
  const anchor: SpendingValidator = { type: 'PlutusV2', script: applyParamsToScript(code(bp, 'anchor.spend'), [policyId, depositHash]) }
  return {
    seed,
    stateToken,
    policyId,
    unit: policyId + STATE_TOKEN_NAME,
    deposit,
    depositHash,
    depositAddress: validatorToAddress(network, deposit),
    anchor,
    anchorHash: validatorToScriptHash(anchor),
    anchorAddress: validatorToAddress(network, anchor),
  }
}
