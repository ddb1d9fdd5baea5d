/**
 * A credential as a map key: `key:<28-byte hash hex>` or `script:<28-byte hash hex>` (see
 * `credentialKey`).
 *
 * @example
 * const k: CredentialKey = 'key:a480995fda24dc142f0be0f49e4a94a855436775c502bec2139da91c'
 */
export type CredentialKey = `key:${string}` | `script:${string}`

/**
 * Where a stake credential delegates its vote: a registered DRep's credential, or one of the two
 * predefined DReps.
 *
 * @example
 * const d: DRepTarget = { kind: 'abstain' }
 */
export type DRepTarget = { readonly kind: 'credential'; readonly credential: CredentialKey } | { readonly kind: 'abstain' } | { readonly kind: 'noConfidence' }

/**
 * A registered stake credential (its reward account): the deposit it paid, its reward balance and
 * its delegations.
 *
 * @example
 * const a: StakeAccount = { deposit: 2_000_000n, rewards: 0n, pool: null, drep: null }
 */
export interface StakeAccount {
  /** The key deposit paid at registration (refunded on deregistration, whatever the parameters say then). */
  deposit: bigint
  rewards: bigint
  /** The pool (operator key hash hex) it delegates its stake to. */
  pool: string | null
  drep: DRepTarget | null
}

/**
 * A registered stake pool.
 *
 * @example
 * const p: PoolState = { deposit: 500_000_000n, rewardAccount: 'key:…', owners: ['…'], retiring: null }
 */
export interface PoolState {
  /** The pool deposit paid at its first registration (refunded to its reward account when it retires). */
  deposit: bigint
  /** The credential of the pool's reward account (network checked at registration). */
  rewardAccount: CredentialKey
  owners: string[]
  /** The epoch at whose start it retires, once a retirement certificate is accepted. */
  retiring: number | null
}

/**
 * A registered DRep: the deposit it paid.
 *
 * @example
 * const d: DRepState = { deposit: 500_000_000n }
 */
export interface DRepState {
  deposit: bigint
}

/**
 * The devnet ledger's certificate state, as the Conway ledger's `CertState`: registered stake
 * credentials (DState), stake pools (PState) and DReps (VState). Refunds and the checks of every
 * certificate come from here, never from the amount a certificate states. The devnet has no
 * constitutional committee.
 *
 * @example
 * const state = emptyCertState()
 * state.accounts.set('key:…', { deposit: 2_000_000n, rewards: 0n, pool: null, drep: null })
 */
export interface CertState {
  readonly accounts: Map<CredentialKey, StakeAccount>
  /** By the pool's operator key hash (hex). */
  readonly pools: Map<string, PoolState>
  readonly dreps: Map<CredentialKey, DRepState>
}

/**
 * A cert state with nothing registered (the devnet's genesis).
 *
 * @example
 * const state = emptyCertState()
 */
export function emptyCertState(): CertState {
  return { accounts: new Map(), pools: new Map(), dreps: new Map() }
}

/**
 * A deep copy (the undo record of a tx keeps one; rules work on one).
 *
 * @example
 * const next = cloneCertState(ctx.certState)
 */
export function cloneCertState(state: CertState): CertState {
  return structuredClone(state)
}
