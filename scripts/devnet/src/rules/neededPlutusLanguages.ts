import type { CML } from '@lucid-evolution/lucid'
import { neededWitnesses } from './neededWitnesses.js'
import { providedScripts } from './providedScripts.js'
import type { RuleContext } from './RuleContext.js'

/**
 * The Plutus languages of the scripts a tx runs — the Plutus scripts of its witness set plus the
 * reference scripts (on spent or read inputs) whose hash it needs for any purpose (a spent
 * script-locked input, a minting policy, a script-credential withdrawal or certificate). These
 * languages' cost models enter the script integrity hash.
 *
 * @example
 * neededPlutusLanguages(ctx) // [CML.Language.PlutusV2]
 */
export function neededPlutusLanguages(ctx: RuleContext): CML.Language[] {
  const needed = new Set(neededWitnesses(ctx).scripts.map((s) => s.hash))
  const langs = new Set<CML.Language>()
  for (const [hash, s] of providedScripts(ctx)) {
    if (s.language !== undefined && (s.inWitnessSet || needed.has(hash))) langs.add(s.language)
  }
  return [...langs]
}
