import { CML } from '@lucid-evolution/lucid'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { RuleContext } from './RuleContext.js'

/**
 * Structural rules: at least one input, size ≤ `maxTxSize`, every output address on the testnet
 * (network id 0, as Lucid's `Custom` network uses), `is_valid` not false.
 * Throws `NO_INPUTS`, `TX_TOO_LARGE`, `WRONG_NETWORK` or `IS_VALID_FALSE_UNSUPPORTED`.
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
  if (!ctx.tx.is_valid()) {
    throw new DevnetRuleError('IS_VALID_FALSE_UNSUPPORTED', 'txs with is_valid = false (collateral-only) are not supported by the devnet')
  }
}
