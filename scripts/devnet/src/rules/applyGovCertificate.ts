import type { CertState } from '../ledger/CertState.js'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { ConwayCertificate } from '../ledger/readCertificate.js'
import type { CertSite, CertTotals } from './CertTotals.js'

type GovCertificate = Extract<ConwayCertificate, { rule: 'drep' | 'committee' }>

/**
 * Conway's GOVCERT rule on `state` (mutated), DRep deposits and refunds added to `totals`:
 * - a DRep registration of a credential not registered (`DREP_ALREADY_REGISTERED`) states exactly
 *   `drepDeposit` (`INCORRECT_DEPOSIT`), recorded as paid;
 * - a DRep deregistration of a registered DRep (`DREP_NOT_REGISTERED`) states exactly the deposit it
 *   paid (`INCORRECT_REFUND`), which is refunded; the votes delegated to it are undelegated;
 * - a DRep update names a registered DRep (`DREP_NOT_REGISTERED`);
 * - committee certificates (hot-key authorisation, resignation) need a cold credential that is a
 *   member of the committee, current or proposed: the devnet has none (`COMMITTEE_UNKNOWN`, as a
 *   node without a committee answers `ConwayCommitteeIsUnknown`).
 *
 * @example
 * applyGovCertificate(readCertificate(cert), state, 500_000_000n, { certificate: 0, kind: 'RegDrepCert' }, totals)
 */
export function applyGovCertificate(c: GovCertificate, state: CertState, drepDeposit: bigint, site: CertSite, totals: CertTotals): void {
  if (c.rule === 'committee') {
    throw new DevnetRuleError('COMMITTEE_UNKNOWN', `certificate ${site.certificate} (${site.kind}) names committee cold credential ${c.cold}; the devnet has no constitutional committee`, {
      details: { ...site, credential: c.cold },
    })
  }
  const at = { ...site, credential: c.credential }
  const registered = state.dreps.get(c.credential)
  switch (c.op) {
    case 'register':
      if (registered) throw new DevnetRuleError('DREP_ALREADY_REGISTERED', `certificate ${site.certificate} (${site.kind}) registers DRep ${c.credential}, which is already registered`, { details: at })
      if (c.deposit !== drepDeposit) {
        throw new DevnetRuleError('INCORRECT_DEPOSIT', `certificate ${site.certificate} (${site.kind}) states a deposit of ${c.deposit}; the DRep deposit is ${drepDeposit}`, {
          details: { ...at, stated: c.deposit.toString(), expected: drepDeposit.toString() },
        })
      }
      state.dreps.set(c.credential, { deposit: drepDeposit })
      totals.deposits += drepDeposit
      return
    case 'unregister':
      if (!registered) throw new DevnetRuleError('DREP_NOT_REGISTERED', `certificate ${site.certificate} (${site.kind}) deregisters DRep ${c.credential}, which is not registered`, { details: at })
      if (c.refund !== registered.deposit) {
        throw new DevnetRuleError('INCORRECT_REFUND', `certificate ${site.certificate} (${site.kind}) states a refund of ${c.refund}; DRep ${c.credential} paid a deposit of ${registered.deposit}`, {
          details: { ...at, stated: c.refund.toString(), paid: registered.deposit.toString() },
        })
      }
      state.dreps.delete(c.credential)
      for (const account of state.accounts.values()) {
        if (account.drep?.kind === 'credential' && account.drep.credential === c.credential) account.drep = null
      }
      totals.refunds += registered.deposit
      return
    case 'update':
      if (!registered) throw new DevnetRuleError('DREP_NOT_REGISTERED', `certificate ${site.certificate} (${site.kind}) updates DRep ${c.credential}, which is not registered`, { details: at })
      return
  }
}
