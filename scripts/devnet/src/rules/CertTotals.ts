/**
 * What the certificates and withdrawals of a tx add to its value balance, from the ledger's state
 * and parameters (never from the amounts the certificates state): consumed = inputs + `withdrawn`
 * + `refunds`, produced = outputs + fee + `deposits` + donation.
 *
 * @example
 * const totals: CertTotals = { deposits: 2_000_000n, refunds: 0n, withdrawn: 0n }
 */
export interface CertTotals {
  /** Key, pool and DRep deposits paid by the tx's registrations. */
  deposits: bigint
  /** The deposits its deregistrations return, as paid when registered. */
  refunds: bigint
  /** The reward balances its withdrawals drain. */
  withdrawn: bigint
}

/**
 * Where a certificate sits in its tx, for error details.
 *
 * @example
 * const site: CertSite = { certificate: 0, kind: 'UnregCert' }
 */
export interface CertSite {
  /** Its index in the tx's certificate list (the index of its `Cert` redeemer). */
  readonly certificate: number
  /** CML's `CertificateKind` name. */
  readonly kind: string
}
