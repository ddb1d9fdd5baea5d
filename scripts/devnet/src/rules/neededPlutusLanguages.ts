import { CML, getAddressDetails, type UTxO } from '@lucid-evolution/lucid'
import type { RuleContext } from './RuleContext.js'

/**
 * The Plutus languages of the scripts a tx runs — the scripts of its witness set plus the
 * reference scripts (on spent or read inputs) whose hash is needed by a spent script-locked
 * input, a minting policy or a script-credential withdrawal. These languages' cost models enter
 * the script integrity hash.
 *
 * @example
 * neededPlutusLanguages(ctx) // [CML.Language.PlutusV2]
 */
export function neededPlutusLanguages(ctx: RuleContext): CML.Language[] {
  const langs = new Set<CML.Language>()
  const ws = ctx.tx.witness_set()
  if ((ws.plutus_v1_scripts()?.len() ?? 0) > 0) langs.add(CML.Language.PlutusV1)
  if ((ws.plutus_v2_scripts()?.len() ?? 0) > 0) langs.add(CML.Language.PlutusV2)
  if ((ws.plutus_v3_scripts()?.len() ?? 0) > 0) langs.add(CML.Language.PlutusV3)

  const needed = new Set<string>()
  for (const u of ctx.inputs) {
    const cred = getAddressDetails(u.address).paymentCredential
    if (cred?.type === 'Script') needed.add(cred.hash)
  }
  const mint = ctx.body.mint()
  if (mint) {
    const policies = mint.keys()
    for (let i = 0; i < policies.len(); i++) needed.add(policies.get(i).to_hex())
  }
  const withdrawals = ctx.body.withdrawals()
  if (withdrawals) {
    const keys = withdrawals.keys()
    for (let i = 0; i < keys.len(); i++) {
      const hash = keys.get(i).payment().as_script()?.to_hex()
      if (hash) needed.add(hash)
    }
  }
  for (const u of [...ctx.inputs, ...ctx.referenceInputs]) {
    const ref = referenceScriptLanguage(u)
    if (ref && needed.has(ref.hash)) langs.add(ref.language)
  }
  return [...langs]
}

/**
 * The hash and language of a UTxO's Plutus reference script, if it carries one.
 *
 * @example
 * referenceScriptLanguage(utxo) // { hash: 'ab12…', language: CML.Language.PlutusV2 }
 */
export function referenceScriptLanguage(u: UTxO): { hash: string; language: CML.Language } | undefined {
  const ref = u.scriptRef
  if (!ref) return undefined
  switch (ref.type) {
    case 'PlutusV1':
      return { hash: CML.PlutusScript.from_v1(CML.PlutusV1Script.from_cbor_hex(ref.script)).hash().to_hex(), language: CML.Language.PlutusV1 }
    case 'PlutusV2':
      return { hash: CML.PlutusScript.from_v2(CML.PlutusV2Script.from_cbor_hex(ref.script)).hash().to_hex(), language: CML.Language.PlutusV2 }
    case 'PlutusV3':
      return { hash: CML.PlutusScript.from_v3(CML.PlutusV3Script.from_cbor_hex(ref.script)).hash().to_hex(), language: CML.Language.PlutusV3 }
    default:
      return undefined
  }
}
