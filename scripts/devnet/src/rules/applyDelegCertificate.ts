import type { CertState } from '../ledger/CertState.js'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { ConwayCertificate, Delegatee } from '../ledger/readCertificate.js'
import type { CertSite, CertTotals } from './CertTotals.js'

type DelegCertificate = Extract<ConwayCertificate, { rule: 'deleg' }>

/**
 * Conway's DELEG rule on `state` (mutated), with the deposit it takes or returns added to `totals`:
 * - a registration (legacy `StakeRegistration`, `RegCert`, the three registration-delegations)
 *   states no deposit or exactly `keyDeposit` (`INCORRECT_DEPOSIT`), of a credential not registered
 *   (`STAKE_ALREADY_REGISTERED`); the deposit is recorded as paid;
 * - a deregistration (legacy `StakeDeregistration`, `UnregCert`) of a registered credential
 *   (`STAKE_NOT_REGISTERED`) with a zero reward balance (`STAKE_REWARDS_NOT_ZERO`) states no refund
 *   or exactly the deposit it paid (`INCORRECT_REFUND`); that recorded deposit is refunded;
 * - a delegation targets a registered pool, a registered DRep or a predefined DRep
 *   (`DELEGATEE_NOT_REGISTERED`), from a registered credential (`STAKE_NOT_REGISTERED`).
 *
 * @example
 * applyDelegCertificate(readCertificate(cert), state, 2_000_000n, { certificate: 0, kind: 'RegCert' }, totals)
 */
export function applyDelegCertificate(c: DelegCertificate, state: CertState, keyDeposit: bigint, site: CertSite, totals: CertTotals): void {
  const at = { ...site, credential: c.credential }
  switch (c.op) {
    case 'register':
    case 'registerDelegate': {
      if (c.deposit !== null && c.deposit !== keyDeposit) {
        throw new DevnetRuleError('INCORRECT_DEPOSIT', `certificate ${site.certificate} (${site.kind}) states a deposit of ${c.deposit}; the key deposit is ${keyDeposit}`, {
          details: { ...at, stated: c.deposit.toString(), expected: keyDeposit.toString() },
        })
      }
      if (state.accounts.has(c.credential)) {
        throw new DevnetRuleError('STAKE_ALREADY_REGISTERED', `certificate ${site.certificate} (${site.kind}) registers ${c.credential}, which is already registered`, { details: at })
      }
      if (c.op === 'registerDelegate') checkDelegatee(c.to, state, at)
      state.accounts.set(c.credential, { deposit: keyDeposit, rewards: 0n, pool: c.op === 'registerDelegate' ? c.to.pool ?? null : null, drep: c.op === 'registerDelegate' ? c.to.drep ?? null : null })
      totals.deposits += keyDeposit
      return
    }
    case 'unregister': {
      const account = state.accounts.get(c.credential)
      if (!account) throw new DevnetRuleError('STAKE_NOT_REGISTERED', `certificate ${site.certificate} (${site.kind}) deregisters ${c.credential}, which is not registered`, { details: at })
      if (account.rewards !== 0n) {
        throw new DevnetRuleError('STAKE_REWARDS_NOT_ZERO', `certificate ${site.certificate} (${site.kind}) deregisters ${c.credential}, whose reward balance is ${account.rewards} (withdraw it first)`, {
          details: { ...at, rewards: account.rewards.toString() },
        })
      }
      if (c.refund !== null && c.refund !== account.deposit) {
        throw new DevnetRuleError('INCORRECT_REFUND', `certificate ${site.certificate} (${site.kind}) states a refund of ${c.refund}; ${c.credential} paid a deposit of ${account.deposit}`, {
          details: { ...at, stated: c.refund.toString(), paid: account.deposit.toString() },
        })
      }
      state.accounts.delete(c.credential)
      totals.refunds += account.deposit
      return
    }
    case 'delegate': {
      checkDelegatee(c.to, state, at)
      const account = state.accounts.get(c.credential)
      if (!account) throw new DevnetRuleError('STAKE_NOT_REGISTERED', `certificate ${site.certificate} (${site.kind}) delegates from ${c.credential}, which is not registered`, { details: at })
      if (c.to.pool !== undefined) account.pool = c.to.pool
      if (c.to.drep !== undefined) account.drep = c.to.drep
      return
    }
  }
}

function checkDelegatee(to: Delegatee, state: CertState, at: Record<string, unknown> & CertSite): void {
  if (to.pool !== undefined && !state.pools.has(to.pool)) {
    throw new DevnetRuleError('DELEGATEE_NOT_REGISTERED', `certificate ${at.certificate} (${at.kind}) delegates to pool ${to.pool}, which is not registered`, { details: { ...at, pool: to.pool } })
  }
  if (to.drep?.kind === 'credential' && !state.dreps.has(to.drep.credential)) {
    throw new DevnetRuleError('DELEGATEE_NOT_REGISTERED', `certificate ${at.certificate} (${at.kind}) delegates its vote to DRep ${to.drep.credential}, which is not registered`, {
      details: { ...at, drep: to.drep.credential },
    })
  }
}
