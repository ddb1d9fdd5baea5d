import { cloneCertState, type CertState } from '../ledger/CertState.js'
import { CERTIFICATE_KIND_NAMES } from '../ledger/certificateAuthors.js'
import { epochOf } from '../ledger/epochOf.js'
import { readCertificate } from '../ledger/readCertificate.js'
import { applyDelegCertificate } from './applyDelegCertificate.js'
import { applyGovCertificate } from './applyGovCertificate.js'
import { applyPoolCertificate } from './applyPoolCertificate.js'
import { applyWithdrawals } from './applyWithdrawals.js'
import type { CertTotals } from './CertTotals.js'
import type { RuleContext } from './RuleContext.js'

/**
 * The cert state after a tx, and what its withdrawals and certificates add to its value balance.
 *
 * @example
 * const { state, totals } = applyCertificates(ctx)
 */
export interface CertificatesOutcome {
  readonly state: CertState
  readonly totals: CertTotals
}

/**
 * Runs a tx's withdrawals and then its certificates, in order, on a copy of the devnet's cert state,
 * as the Conway ledger's CERTS rule does (a later certificate sees what an earlier one registered;
 * see `applyWithdrawals`, `applyDelegCertificate`, `applyPoolCertificate`, `applyGovCertificate`).
 * Throws the first rule broken; changes nothing (the caller keeps the returned state if the tx is
 * accepted). Deposits are the protocol parameters', refunds what the ledger recorded as paid.
 *
 * @example
 * const { totals } = applyCertificates(ctx) // totals.refunds: the deposits returned, from state
 */
export function applyCertificates(ctx: RuleContext): CertificatesOutcome {
  const pp = ctx.protocolParameters
  const state = cloneCertState(ctx.certState)
  const totals: CertTotals = { deposits: 0n, refunds: 0n, withdrawn: applyWithdrawals(ctx, state) }
  const certs = ctx.body.certs()
  const epoch = epochOf(ctx.slot)
  for (let i = 0; i < (certs?.len() ?? 0); i++) {
    const cert = certs!.get(i)
    const site = { certificate: i, kind: CERTIFICATE_KIND_NAMES[cert.kind()] }
    const c = readCertificate(cert)
    switch (c.rule) {
      case 'deleg':
        applyDelegCertificate(c, state, pp.keyDeposit, site, totals)
        break
      case 'pool':
        applyPoolCertificate(c, state, pp.poolDeposit, epoch, site, totals)
        break
      case 'drep':
      case 'committee':
        applyGovCertificate(c, state, pp.drepDeposit, site, totals)
        break
    }
  }
  return { state, totals }
}
