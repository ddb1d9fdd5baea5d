import { CML } from '@lucid-evolution/lucid'
import type { CredentialKey, DRepTarget } from './CertState.js'
import { credentialKey } from './credentialKey.js'

/**
 * A certificate as the Conway ledger's rules see it (`ConwayTxCert`): the DELEG rule's four shapes
 * (the legacy Shelley certificates are the same shapes without a deposit), POOL's two, GOVCERT's
 * DRep and committee certificates. `deposit` / `refund` are what the certificate *states*; the
 * rules compare them with the parameters and the ledger's state.
 *
 * @example
 * const c = readCertificate(cert) // { rule: 'deleg', op: 'unregister', credential: 'key:…', refund: 2000000n }
 */
export type ConwayCertificate =
  | { readonly rule: 'deleg'; readonly op: 'register'; readonly credential: CredentialKey; readonly deposit: bigint | null }
  | { readonly rule: 'deleg'; readonly op: 'unregister'; readonly credential: CredentialKey; readonly refund: bigint | null }
  | { readonly rule: 'deleg'; readonly op: 'delegate'; readonly credential: CredentialKey; readonly to: Delegatee }
  | { readonly rule: 'deleg'; readonly op: 'registerDelegate'; readonly credential: CredentialKey; readonly deposit: bigint; readonly to: Delegatee }
  | { readonly rule: 'pool'; readonly op: 'register'; readonly pool: string; readonly owners: readonly string[]; readonly cost: bigint; readonly rewardAccount: CredentialKey; readonly rewardNetwork: number }
  | { readonly rule: 'pool'; readonly op: 'retire'; readonly pool: string; readonly epoch: bigint }
  | { readonly rule: 'drep'; readonly op: 'register'; readonly credential: CredentialKey; readonly deposit: bigint }
  | { readonly rule: 'drep'; readonly op: 'unregister'; readonly credential: CredentialKey; readonly refund: bigint }
  | { readonly rule: 'drep'; readonly op: 'update'; readonly credential: CredentialKey }
  | { readonly rule: 'committee'; readonly op: 'authorizeHot' | 'resignCold'; readonly cold: CredentialKey }

/**
 * What a delegation certificate delegates: stake to a pool, the vote to a DRep, or both.
 *
 * @example
 * const d: Delegatee = { pool: 'ab…', drep: { kind: 'abstain' } }
 */
export interface Delegatee {
  /** The pool's operator key hash (hex). */
  readonly pool?: string
  readonly drep?: DRepTarget
}

/**
 * Reads a CML certificate into the shape the ledger's rules work on.
 *
 * @example
 * readCertificate(body.certs()!.get(0)).rule // 'deleg'
 */
export function readCertificate(cert: CML.Certificate): ConwayCertificate {
  const K = CML.CertificateKind
  switch (cert.kind()) {
    case K.StakeRegistration:
      return { rule: 'deleg', op: 'register', credential: credentialKey(cert.as_stake_registration()!.stake_credential()), deposit: null }
    case K.RegCert: {
      const c = cert.as_reg_cert()!
      return { rule: 'deleg', op: 'register', credential: credentialKey(c.stake_credential()), deposit: c.deposit() }
    }
    case K.StakeDeregistration:
      return { rule: 'deleg', op: 'unregister', credential: credentialKey(cert.as_stake_deregistration()!.stake_credential()), refund: null }
    case K.UnregCert: {
      const c = cert.as_unreg_cert()!
      return { rule: 'deleg', op: 'unregister', credential: credentialKey(c.stake_credential()), refund: c.deposit() }
    }
    case K.StakeDelegation: {
      const c = cert.as_stake_delegation()!
      return { rule: 'deleg', op: 'delegate', credential: credentialKey(c.stake_credential()), to: { pool: c.pool().to_hex() } }
    }
    case K.VoteDelegCert: {
      const c = cert.as_vote_deleg_cert()!
      return { rule: 'deleg', op: 'delegate', credential: credentialKey(c.stake_credential()), to: { drep: drepTarget(c.d_rep()) } }
    }
    case K.StakeVoteDelegCert: {
      const c = cert.as_stake_vote_deleg_cert()!
      return { rule: 'deleg', op: 'delegate', credential: credentialKey(c.stake_credential()), to: { pool: c.pool().to_hex(), drep: drepTarget(c.d_rep()) } }
    }
    case K.StakeRegDelegCert: {
      const c = cert.as_stake_reg_deleg_cert()!
      return { rule: 'deleg', op: 'registerDelegate', credential: credentialKey(c.stake_credential()), deposit: c.deposit(), to: { pool: c.pool().to_hex() } }
    }
    case K.VoteRegDelegCert: {
      const c = cert.as_vote_reg_deleg_cert()!
      return { rule: 'deleg', op: 'registerDelegate', credential: credentialKey(c.stake_credential()), deposit: c.deposit(), to: { drep: drepTarget(c.d_rep()) } }
    }
    case K.StakeVoteRegDelegCert: {
      const c = cert.as_stake_vote_reg_deleg_cert()!
      return {
        rule: 'deleg',
        op: 'registerDelegate',
        credential: credentialKey(c.stake_credential()),
        deposit: c.deposit(),
        to: { pool: c.pool().to_hex(), drep: drepTarget(c.d_rep()) },
      }
    }
    case K.PoolRegistration: {
      const p = cert.as_pool_registration()!.pool_params()
      const owners = p.pool_owners()
      return {
        rule: 'pool',
        op: 'register',
        pool: p.operator().to_hex(),
        owners: Array.from({ length: owners.len() }, (_, i) => owners.get(i).to_hex()),
        cost: p.cost(),
        rewardAccount: credentialKey(p.reward_account().payment()),
        rewardNetwork: p.reward_account().network_id(),
      }
    }
    case K.PoolRetirement: {
      const c = cert.as_pool_retirement()!
      return { rule: 'pool', op: 'retire', pool: c.pool().to_hex(), epoch: c.epoch() }
    }
    case K.RegDrepCert: {
      const c = cert.as_reg_drep_cert()!
      return { rule: 'drep', op: 'register', credential: credentialKey(c.drep_credential()), deposit: c.deposit() }
    }
    case K.UnregDrepCert: {
      const c = cert.as_unreg_drep_cert()!
      return { rule: 'drep', op: 'unregister', credential: credentialKey(c.drep_credential()), refund: c.deposit() }
    }
    case K.UpdateDrepCert:
      return { rule: 'drep', op: 'update', credential: credentialKey(cert.as_update_drep_cert()!.drep_credential()) }
    case K.AuthCommitteeHotCert:
      return { rule: 'committee', op: 'authorizeHot', cold: credentialKey(cert.as_auth_committee_hot_cert()!.committee_cold_credential()) }
    case K.ResignCommitteeColdCert:
      return { rule: 'committee', op: 'resignCold', cold: credentialKey(cert.as_resign_committee_cold_cert()!.committee_cold_credential()) }
  }
}

function drepTarget(drep: CML.DRep): DRepTarget {
  switch (drep.kind()) {
    case CML.DRepKind.Key:
      return { kind: 'credential', credential: `key:${drep.as_key()!.to_hex()}` }
    case CML.DRepKind.Script:
      return { kind: 'credential', credential: `script:${drep.as_script()!.to_hex()}` }
    case CML.DRepKind.AlwaysAbstain:
      return { kind: 'abstain' }
    case CML.DRepKind.AlwaysNoConfidence:
      return { kind: 'noConfidence' }
  }
}
