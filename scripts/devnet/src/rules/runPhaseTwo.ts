import { CML, utxoToTransactionInput, utxoToTransactionOutput } from '@lucid-evolution/lucid'
import * as UPLC from '@lucid-evolution/uplc'
import { DevnetRuleError } from '../DevnetRuleError.js'
import { listRedeemers, redeemerName, type DeclaredRedeemer } from '../redeemers.js'
import type { RuleContext } from './RuleContext.js'

/**
 * What one script used when the UPLC machine ran it.
 *
 * @example
 * const used: ScriptRun = { tag: 0, index: 0n, mem: 1200n, steps: 340000n }
 */
export type ScriptRun = DeclaredRedeemer

/**
 * Phase-2 validation: runs every script of the tx on the real UPLC machine
 * (`eval_phase_two_raw` from `@lucid-evolution/uplc`, the evaluator Lucid uses) with the
 * ScriptContext built from the resolved inputs and the devnet's slot config, then checks
 * - Σ declared budgets ≤ maxTxExMem / maxTxExSteps (`EX_UNITS_EXCEED_MAX`);
 * - every script succeeds (`SCRIPT_FAILED`, with the script's trace in `details.logs`);
 * - every redeemer declares at least what its script used (`EX_UNITS_TOO_LOW`).
 * Returns what each script used.
 *
 * @example
 * const runs = runPhaseTwo(ctx)
 */
export function runPhaseTwo(ctx: RuleContext): ScriptRun[] {
  const declared = listRedeemers(ctx.tx.witness_set())
  if (declared.length === 0) return []
  const pp = ctx.protocolParameters
  const totalMem = declared.reduce((s, r) => s + r.mem, 0n)
  const totalSteps = declared.reduce((s, r) => s + r.steps, 0n)
  if (totalMem > pp.maxTxExMem || totalSteps > pp.maxTxExSteps) {
    throw new DevnetRuleError('EX_UNITS_EXCEED_MAX', `declared budgets (mem ${totalMem}, steps ${totalSteps}) exceed the per-tx maximum (mem ${pp.maxTxExMem}, steps ${pp.maxTxExSteps})`, {
      details: { mem: totalMem.toString(), steps: totalSteps.toString() },
    })
  }
  const utxos = [...ctx.inputs, ...ctx.referenceInputs]
  let results: Uint8Array[]
  try {
    results = UPLC.eval_phase_two_raw(
      ctx.txBytes,
      utxos.map((u) => utxoToTransactionInput(u).to_cbor_bytes()),
      utxos.map((u) => utxoToTransactionOutput(u).to_cbor_bytes()),
      ctx.costModels.to_cbor_bytes(),
      pp.maxTxExSteps,
      pp.maxTxExMem,
      BigInt(ctx.slotConfig.zeroTime),
      BigInt(ctx.slotConfig.zeroSlot),
      ctx.slotConfig.slotLength,
    )
  } catch (error) {
    const raw = typeof error === 'string' ? error : error instanceof Error ? error.message : JSON.stringify(error)
    const logs = extractLogs(raw)
    const redeemer = /(Spend|Mint|Cert|Reward|Vote|Propose)\w*\[\d+\]/.exec(raw)?.[0]
    throw new DevnetRuleError('SCRIPT_FAILED', `a Plutus script failed: ${raw}`, {
      details: { logs, redeemer: redeemer ?? null, evaluator: raw },
      cause: error,
    })
  }
  const runs = results.map((bytes) => {
    const r = CML.LegacyRedeemer.from_cbor_bytes(bytes)
    return { tag: r.tag(), index: r.index(), mem: r.ex_units().mem(), steps: r.ex_units().steps() }
  })
  for (const run of runs) {
    const d = declared.find((x) => x.tag === run.tag && x.index === run.index)
    if (!d) continue
    if (d.mem < run.mem || d.steps < run.steps) {
      throw new DevnetRuleError(
        'EX_UNITS_TOO_LOW',
        `${redeemerName(run)} declares mem ${d.mem} / steps ${d.steps} but its script used mem ${run.mem} / steps ${run.steps}`,
        {
          details: {
            redeemer: redeemerName(run),
            declared: { mem: d.mem.toString(), steps: d.steps.toString() },
            used: { mem: run.mem.toString(), steps: run.steps.toString() },
          },
        },
      )
    }
  }
  return runs
}

/**
 * The trace lines in an evaluator error message (what the script itself logged, in order).
 *
 * @example
 * extractLogs('failed script execution\n  Spend[0] the validator crashed\n    Trace redeemer must be 42')
 * // ['redeemer must be 42']
 */
export function extractLogs(raw: string): string[] {
  return raw
    .split('\n')
    .map((line) => /^\s*Trace (.*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined)
}
