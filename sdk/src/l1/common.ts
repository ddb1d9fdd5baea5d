import { slotToUnixTime, unixTimeToSlot, type LucidEvolution, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import type { LagoonScripts } from './scripts.js'

/** Reference-script UTxOs (optional): when given, scripts are read from them instead of attached. */
export interface ScriptRefs {
  anchor?: UTxO
  deposit?: UTxO
}

/**
 * `now` rounded down to the start of its slot: the POSIX time a script sees as the lower bound of
 * a validity range that starts at `now`.
 *
 * @example
 * const lower = slotStart(lucid, Date.now())
 */
export function slotStart(lucid: LucidEvolution, now: number): number {
  const network = lucid.config().network!
  return slotToUnixTime(network, unixTimeToSlot(network, now))
}

/** Attaches (or reads from a reference UTxO) the anchor validator. */
export function withAnchor(tx: TxBuilder, s: LagoonScripts, refs: ScriptRefs = {}): TxBuilder {
  return refs.anchor ? tx.readFrom([refs.anchor]) : tx.attach.SpendingValidator(s.anchor)
}

/** Attaches (or reads from a reference UTxO) the deposit validator. */
export function withDeposit(tx: TxBuilder, s: LagoonScripts, refs: ScriptRefs = {}): TxBuilder {
  return refs.deposit ? tx.readFrom([refs.deposit]) : tx.attach.SpendingValidator(s.deposit)
}
