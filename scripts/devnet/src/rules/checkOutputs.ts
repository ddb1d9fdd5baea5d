import type { CML } from '@lucid-evolution/lucid'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { RuleContext } from './RuleContext.js'

/**
 * Every output (and the collateral return) must hold at least
 * `coinsPerUtxoByte × (160 + serialized output size)` lovelace (`OUTPUT_TOO_SMALL`), and its
 * serialized value must fit in `maxValSize` bytes (`OUTPUT_VALUE_TOO_LARGE`).
 *
 * @example
 * checkOutputs(ctx)
 */
export function checkOutputs(ctx: RuleContext): void {
  const outputs = ctx.body.outputs()
  for (let i = 0; i < outputs.len(); i++) checkOne(ctx, outputs.get(i), `output ${i}`)
  const ret = ctx.body.collateral_return()
  if (ret) checkOne(ctx, ret, 'collateral return')
}

/**
 * The minimum lovelace an output must hold (Babbage rule).
 *
 * @example
 * minUtxoLovelace(output, 4310n) // e.g. 969750n for a plain ADA output
 */
export function minUtxoLovelace(output: CML.TransactionOutput, coinsPerUtxoByte: bigint): bigint {
  return coinsPerUtxoByte * (160n + BigInt(output.to_cbor_bytes().length))
}

function checkOne(ctx: RuleContext, output: CML.TransactionOutput, label: string): void {
  const min = minUtxoLovelace(output, ctx.protocolParameters.coinsPerUtxoByte)
  const coin = output.amount().coin()
  if (coin < min) {
    throw new DevnetRuleError('OUTPUT_TOO_SMALL', `${label} holds ${coin} lovelace; min-UTxO is ${min}`, {
      details: { output: label, lovelace: coin.toString(), minLovelace: min.toString() },
    })
  }
  const valueSize = output.amount().to_cbor_bytes().length
  if (valueSize > ctx.protocolParameters.maxValSize) {
    throw new DevnetRuleError('OUTPUT_VALUE_TOO_LARGE', `${label}'s value is ${valueSize} bytes; maxValSize is ${ctx.protocolParameters.maxValSize}`, {
      details: { output: label, valueSize, maxValSize: ctx.protocolParameters.maxValSize },
    })
  }
}
