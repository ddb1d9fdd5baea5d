import { LagoonError } from '../errors/LagoonError.js'

/** The genesis lovelace of the anchor: it keeps the anchor above min-UTxO and belongs to no account. */
export const ANCHOR_RESERVE_LOVELACE = 2_000_000n

/**
 * The figures of the conservation invariant, each in lovelace, all read at one moment (the node idle,
 * layer 1 read from its confirmed chain). A list is summed; a bigint is taken as the sum.
 */
export interface ConservationFigures {
  /** Lovelace in the anchor output (the one holding the state token). */
  readonly anchorLovelace: bigint
  /** The part of the anchor that belongs to no account (its genesis lovelace); default 2 ADA. */
  readonly reserveLovelace?: bigint
  /** Deposits credited on layer 2 that still sit at the deposit address (not yet absorbed by a commit). */
  readonly unabsorbedDeposits: readonly bigint[] | bigint
  /** Every layer-2 account's balance (the operator's account, which collects fees, included). */
  readonly balances: readonly bigint[] | bigint
  /** Every layer-2 account's pending exit. */
  readonly pendingExits: readonly bigint[] | bigint
  /**
   * Exits the anchor already paid on layer 1 (confirmed Withdraw txs) that the task log does not yet
   * record (the follower records them after k confirmations): still pending on layer 2, no longer in
   * the anchor; default 0.
   */
  readonly exitsPaidUnrecorded?: bigint
}

/** The outcome: both sides of the equation and their difference. */
export interface ConservationResult {
  readonly ok: boolean
  /** anchorLovelace − reserve + unabsorbedDeposits: the ADA layer 1 holds for layer 2. */
  readonly layer1: bigint
  /** Σ balances + Σ pending exits − exits paid but unrecorded: what layer 2 owes from the anchor. */
  readonly layer2: bigint
  /** layer1 − layer2 (0 when ok; negative: layer 2 owes more than layer 1 holds). */
  readonly difference: bigint
  /** One line for logs and test failures. */
  readonly summary: string
}

const sum = (v: readonly bigint[] | bigint): bigint => (typeof v === 'bigint' ? v : v.reduce((a, b) => a + b, 0n))

/**
 * The conservation invariant (docs/reliability.md, "Conservation"):
 *
 *   anchor lovelace − reserve + unabsorbed credited deposits
 *     = Σ balances + Σ pending exits − exits paid on layer 1 not yet in the log
 *
 * It is exact: layer-2 fees move between accounts (the operator's account is one of the balances),
 * and layer-1 fees are paid by the operator's wallet, never by the anchor (a commit grows the anchor by
 * exactly the deposits it absorbs, a Withdraw shrinks it by exactly the exits it pays). Pure.
 *
 * @example
 * const r = checkConservation({ anchorLovelace: 52_000_000n, unabsorbedDeposits: [], balances: [46_000_000n], pendingExits: [4_000_000n] })
 * r.ok // true
 */
export function checkConservation(f: ConservationFigures): ConservationResult {
  const reserve = f.reserveLovelace ?? ANCHOR_RESERVE_LOVELACE
  const layer1 = f.anchorLovelace - reserve + sum(f.unabsorbedDeposits)
  const layer2 = sum(f.balances) + sum(f.pendingExits) - (f.exitsPaidUnrecorded ?? 0n)
  const difference = layer1 - layer2
  const summary =
    `layer 1 holds ${layer1} (anchor ${f.anchorLovelace} − reserve ${reserve} + unabsorbed deposits ${sum(f.unabsorbedDeposits)}); ` +
    `layer 2 owes ${layer2} (balances ${sum(f.balances)} + pending exits ${sum(f.pendingExits)} − paid unrecorded ${f.exitsPaidUnrecorded ?? 0n}); difference ${difference}`
  return { ok: difference === 0n, layer1, layer2, difference, summary }
}

/** The conservation invariant does not hold: layer 1 and layer 2 disagree on the ADA locked. */
export class ConservationError extends LagoonError {
  constructor(readonly result: ConservationResult) {
    super('CONSERVATION_VIOLATED', `conservation violated: ${result.summary}`, {
      details: { layer1: result.layer1.toString(), layer2: result.layer2.toString(), difference: result.difference.toString() },
    })
  }
}

/**
 * `checkConservation`, throwing `ConservationError` (code `CONSERVATION_VIOLATED`) when it fails.
 *
 * @example
 * assertConservation(await gatherFigures()) // throws on a mismatch
 */
export function assertConservation(f: ConservationFigures): ConservationResult {
  const r = checkConservation(f)
  if (!r.ok) throw new ConservationError(r)
  return r
}
