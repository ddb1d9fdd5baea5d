import { CML } from '@lucid-evolution/lucid'
import type { CredentialKey } from './CertState.js'
import { credentialKey } from './credentialKey.js'

/** CML's `CertificateKind` names, by number (for messages and error details). */
export const CERTIFICATE_KIND_NAMES = [
  'StakeRegistration',
  'StakeDeregistration',
  'StakeDelegation',
  'PoolRegistration',
  'PoolRetirement',
  'RegCert',
  'UnregCert',
  'VoteDelegCert',
  'StakeVoteDelegCert',
  'StakeRegDelegCert',
  'VoteRegDelegCert',
  'StakeVoteRegDelegCert',
  'AuthCommitteeHotCert',
  'ResignCommitteeColdCert',
  'RegDrepCert',
  'UnregDrepCert',
  'UpdateDrepCert',
] as const

/**
 * The credentials that must witness a certificate, as the Conway ledger computes them
 * (`getVKeyWitnessConwayTxCert`, `getScriptWitnessConwayTxCert`, plus the owners of a pool
 * registration): a key credential needs a vkey witness, a script credential its script run with a
 * `Cert` redeemer at the certificate's index (a native script: evaluated).
 * - the legacy `StakeRegistration` (no deposit field) needs none;
 * - every other stake certificate (`RegCert` with its deposit, `UnregCert`, the legacy
 *   deregistration, all delegations and registration-delegations): the stake credential;
 * - `PoolRegistration`: the operator key and every owner key; `PoolRetirement`: the operator key;
 * - DRep certificates: the DRep credential; committee certificates: the cold credential.
 *
 * @example
 * certificateAuthors(CML.Certificate.new_unreg_cert(cred, 2_000_000n)) // ['key:…']
 */
export function certificateAuthors(cert: CML.Certificate): CredentialKey[] {
  const K = CML.CertificateKind
  switch (cert.kind()) {
    case K.StakeRegistration:
      return []
    case K.StakeDeregistration:
      return [credentialKey(cert.as_stake_deregistration()!.stake_credential())]
    case K.StakeDelegation:
      return [credentialKey(cert.as_stake_delegation()!.stake_credential())]
    case K.PoolRegistration: {
      const params = cert.as_pool_registration()!.pool_params()
      const owners = params.pool_owners()
      const keys = new Set<CredentialKey>([`key:${params.operator().to_hex()}`])
      for (let i = 0; i < owners.len(); i++) keys.add(`key:${owners.get(i).to_hex()}`)
      return [...keys]
    }
    case K.PoolRetirement:
      return [`key:${cert.as_pool_retirement()!.pool().to_hex()}`]
    case K.RegCert:
      return [credentialKey(cert.as_reg_cert()!.stake_credential())]
    case K.UnregCert:
      return [credentialKey(cert.as_unreg_cert()!.stake_credential())]
    case K.VoteDelegCert:
      return [credentialKey(cert.as_vote_deleg_cert()!.stake_credential())]
    case K.StakeVoteDelegCert:
      return [credentialKey(cert.as_stake_vote_deleg_cert()!.stake_credential())]
    case K.StakeRegDelegCert:
      return [credentialKey(cert.as_stake_reg_deleg_cert()!.stake_credential())]
    case K.VoteRegDelegCert:
      return [credentialKey(cert.as_vote_reg_deleg_cert()!.stake_credential())]
    case K.StakeVoteRegDelegCert:
      return [credentialKey(cert.as_stake_vote_reg_deleg_cert()!.stake_credential())]
    case K.AuthCommitteeHotCert:
      return [credentialKey(cert.as_auth_committee_hot_cert()!.committee_cold_credential())]
    case K.ResignCommitteeColdCert:
      return [credentialKey(cert.as_resign_committee_cold_cert()!.committee_cold_credential())]
    case K.RegDrepCert:
      return [credentialKey(cert.as_reg_drep_cert()!.drep_credential())]
    case K.UnregDrepCert:
      return [credentialKey(cert.as_unreg_drep_cert()!.drep_credential())]
    case K.UpdateDrepCert:
      return [credentialKey(cert.as_update_drep_cert()!.drep_credential())]
  }
}
