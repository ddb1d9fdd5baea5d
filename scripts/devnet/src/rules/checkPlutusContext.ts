import { CML } from '@lucid-evolution/lucid'
import { CERTIFICATE_KIND_NAMES } from '../ledger/certificateAuthors.js'
import { DevnetRuleError } from '../DevnetRuleError.js'
import { neededWitnesses } from './neededWitnesses.js'
import { providedScripts } from './providedScripts.js'
import type { RuleContext } from './RuleContext.js'

/**
 * A Plutus V1 or V2 script sees the tx through a context that cannot show Conway's new features,
 * and the ledger refuses to build it (Conway `TxInfo`: `transTxCertV1V2`'s `CertificateNotSupported`,
 * `guardConwayFeaturesForPlutusV1V2`): when a tx runs a V1/V2 script, every certificate must be one
 * those contexts know — the Shelley certificates and `RegCert` / `UnregCert` (CML kinds 0-6), not a
 * vote delegation, registration-delegation, DRep or committee certificate — and the tx must not
 * donate to the treasury or state its value. Throws `PLUTUS_CONTEXT_UNSUPPORTED`.
 *
 * @example
 * checkPlutusContext(ctx)
 */
export function checkPlutusContext(ctx: RuleContext): void {
  const provided = providedScripts(ctx)
  const legacy = neededWitnesses(ctx).scripts.find((s) => {
    const language = provided.get(s.hash)?.language
    return language === CML.Language.PlutusV1 || language === CML.Language.PlutusV2
  })
  if (!legacy) return
  const why = (feature: string) =>
    new DevnetRuleError('PLUTUS_CONTEXT_UNSUPPORTED', `the tx runs Plutus V1/V2 script ${legacy.hash} (for ${legacy.purpose}), whose context cannot show ${feature}`, {
      details: { scriptHash: legacy.hash, purpose: legacy.purpose, feature },
    })
  const certs = ctx.body.certs()
  for (let i = 0; i < (certs?.len() ?? 0); i++) {
    const kind = certs!.get(i).kind()
    if (kind > CML.CertificateKind.UnregCert) throw why(`certificate ${i} (${CERTIFICATE_KIND_NAMES[kind]})`)
  }
  if ((ctx.body.donation() ?? 0n) !== 0n) throw why('a treasury donation')
  if (ctx.body.current_treasury_value() !== undefined) throw why('the current treasury value')
}
