import { CML } from '@lucid-evolution/lucid'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { RuleContext } from './RuleContext.js'

/**
 * Structural rules: at least one input, size ≤ `maxTxSize`, every output address on the testnet
 * (network id 0, as Lucid's `Custom` network uses), `is_valid` not false, no votes or proposals.
 * Throws `NO_INPUTS`, `TX_TOO_LARGE`, `WRONG_NETWORK`, `IS_VALID_FALSE_UNSUPPORTED` or
 * `GOVERNANCE_UNSUPPORTED` (the devnet keeps no governance state: no proposal to vote on, no
 * constitution or return-account checks for a new one; a node may accept a well-formed proposal).
 *
 * @example
 * checkTxShape(ctx)
 */
export function checkTxShape(ctx: RuleContext): void {
  if (ctx.body.inputs().len() === 0) throw new DevnetRuleError('NO_INPUTS', 'tx spends no inputs')
  const size = ctx.txBytes.length
  if (size > ctx.protocolParameters.maxTxSize) {
    throw new DevnetRuleError('TX_TOO_LARGE', `tx is ${size} bytes; maxTxSize is ${ctx.protocolParameters.maxTxSize}`, {
      details: { size, maxTxSize: ctx.protocolParameters.maxTxSize },
    })
  }
  const outputs = ctx.body.outputs()
  for (let i = 0; i < outputs.len(); i++) {
    const address = outputs.get(i).address()
    const networkId = address.network_id()
    if (networkId !== CML.NetworkInfo.testnet().network_id()) {
      throw new DevnetRuleError('WRONG_NETWORK', `output ${i} pays to network id ${networkId}; the devnet is network id 0`, {
        details: { output: i, networkId },
      })
    }
  }
  if (ctx.body.voting_procedures() !== undefined || ctx.body.proposal_procedures() !== undefined) {
    throw new DevnetRuleError('GOVERNANCE_UNSUPPORTED', 'txs with votes or proposals are not supported by the devnet (it keeps no governance state)')
  }
  if (!ctx.tx.is_valid()) {
    throw new DevnetRuleError('IS_VALID_FALSE_UNSUPPORTED', 'txs with is_valid = false (collateral-only) are not supported by the devnet')
  }
}
