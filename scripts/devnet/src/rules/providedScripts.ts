import { CML, type UTxO } from '@lucid-evolution/lucid'
import type { RuleContext } from './RuleContext.js'

/**
 * A script a tx makes available: a native script (to evaluate) or a Plutus script of a language, and
 * whether it came in the witness set (else as a reference script).
 *
 * @example
 * const s: ProvidedScript = { language: CML.Language.PlutusV2, inWitnessSet: false }
 */
export interface ProvidedScript {
  readonly native?: CML.NativeScript
  readonly language?: CML.Language
  readonly inWitnessSet: boolean
}

/**
 * The scripts a tx provides, by hash: its witness set's native and Plutus scripts, then the reference
 * scripts of its spent and reference inputs.
 *
 * @example
 * providedScripts(ctx).get(policyId)?.language // CML.Language.PlutusV2
 */
export function providedScripts(ctx: RuleContext): Map<string, ProvidedScript> {
  const out = new Map<string, ProvidedScript>()
  const ws = ctx.tx.witness_set()
  const natives = ws.native_scripts()
  for (let i = 0; i < (natives?.len() ?? 0); i++) out.set(natives!.get(i).hash().to_hex(), { native: natives!.get(i), inWitnessSet: true })
  const plutus: [CML.Language, { len(): number; get(i: number): { hash(): CML.ScriptHash } } | undefined][] = [
    [CML.Language.PlutusV1, ws.plutus_v1_scripts()],
    [CML.Language.PlutusV2, ws.plutus_v2_scripts()],
    [CML.Language.PlutusV3, ws.plutus_v3_scripts()],
  ]
  for (const [language, list] of plutus) {
    for (let i = 0; i < (list?.len() ?? 0); i++) out.set(list!.get(i).hash().to_hex(), { language, inWitnessSet: true })
  }
  for (const u of [...ctx.inputs, ...ctx.referenceInputs]) {
    const ref = referenceScript(u)
    if (ref && !out.has(ref.hash)) out.set(ref.hash, ref.script)
  }
  return out
}

function referenceScript(u: UTxO): { hash: string; script: ProvidedScript } | undefined {
  const ref = u.scriptRef
  if (!ref) return undefined
  switch (ref.type) {
    case 'Native': {
      const native = CML.NativeScript.from_cbor_hex(ref.script)
      return { hash: native.hash().to_hex(), script: { native, inWitnessSet: false } }
    }
    case 'PlutusV1':
      return { hash: CML.PlutusV1Script.from_cbor_hex(ref.script).hash().to_hex(), script: { language: CML.Language.PlutusV1, inWitnessSet: false } }
    case 'PlutusV2':
      return { hash: CML.PlutusV2Script.from_cbor_hex(ref.script).hash().to_hex(), script: { language: CML.Language.PlutusV2, inWitnessSet: false } }
    case 'PlutusV3':
      return { hash: CML.PlutusV3Script.from_cbor_hex(ref.script).hash().to_hex(), script: { language: CML.Language.PlutusV3, inWitnessSet: false } }
  }
}
