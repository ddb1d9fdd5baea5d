import { ANCHOR_RESERVE_LOVELACE, checkConservation, type ConservationResult } from '../../conservation/checkConservation.js'
import type { ReplayState } from '../types.js'
import type { L1Events } from './l1EventCollector.js'
import type { AnchorStep } from './readAnchorHistory.js'

/**
 * The conservation statement of an audit, in lovelace: layer 1 holds for layer 2 (the anchor's lovelace
 * − its reserve + the credited deposits not absorbed yet that still sit at the deposit address) what
 * layer 2 owes (every balance + every pending exit − the exits layer 1 paid that the log does not record
 * yet), at the audited seq.
 *
 * @example
 * const c: AuditConservation = r.conservation!
 * console.log(c.settled ? (c.ok ? 'holds' : `off by ${c.difference}`) : 'not settled')
 */
export interface AuditConservation extends ConservationResult {
  /** The audited seq the layer-2 side is taken at. */
  readonly seq: number
  /**
   * False when layer 1 moved past the audited log while it was read (a commitment of a later seq): the
   * two sides are then not of one moment, and no verdict is drawn (rerun).
   */
  readonly settled: boolean
  readonly anchorLovelace: bigint
  /** The anchor's genesis lovelace (belongs to no account). */
  readonly reserveLovelace: bigint
  /** Credited, not absorbed by a commitment, and still at the deposit address. */
  readonly unabsorbedDeposits: bigint
  readonly balances: bigint
  readonly pendingExits: bigint
  /** Paid by Withdraw (or ExodusWithdraw) txs on layer 1, not (yet) recorded by the log. */
  readonly exitsPaidUnrecorded: bigint
}

/**
 * Parameters of {@link auditConservation}.
 *
 * @example
 * auditConservation({ steps, events, state: r.audit.checkpoint.state, seq: r.audit.seq, atDepositAddress })
 */
export interface AuditConservationParams {
  /** The anchor history, genesis first, read after the log (so it is at least as new as the log). */
  readonly steps: readonly AnchorStep[]
  /** The replay's credits and recorded exits. */
  readonly events: L1Events
  /** The replayed state at `seq`: its balances and pending exits are summed (`allAccounts`), when it lists its accounts. */
  readonly state: ReplayState
  readonly seq: number
  /** The out-refs at the deposit address, read before `steps`' last anchor output. */
  readonly atDepositAddress: ReadonlySet<string>
}

/**
 * The conservation invariant (`checkConservation`) from what an auditor has: the anchor history read
 * from layer 1 and the deposit address's UTxOs, and the replay. For a state that cannot list its
 * accounts, Σ balances + Σ pending exits is taken from the events instead (credits − recorded exits:
 * `apply` conserves value), reported as balances. Pure.
 *
 * @example
 * const c = auditConservation(params)
 * if (c.settled && !c.ok) console.error(c.summary)
 */
export function auditConservation(p: AuditConservationParams): AuditConservation {
  const { steps, events } = p
  const last = steps[steps.length - 1]
  const genesis = steps[0]?.kind === 'genesis' ? steps[0] : undefined
  const absorbed = new Set<string>()
  let exitsPaidUnrecorded = 0n
  const recorded = new Map([...events.exits].map(([tx, list]) => [tx, [...list]]))
  let settled = true
  let prev: AnchorStep | undefined
  for (const s of steps) {
    if (s.kind === 'commit') {
      for (const d of s.deposits ?? []) absorbed.add(`${d.txHash}#${d.outputIndex}`)
      if (Number(s.datum.logSeq) > p.seq) settled = false
    } else if (s.kind === 'withdraw') {
      const list = recorded.get(s.txHash) ?? []
      for (const e of s.exits ?? []) {
        const at = list.findIndex((r) => r.account === e.account.toLowerCase() && r.amount === e.amount)
        if (at >= 0) list.splice(at, 1)
        else exitsPaidUnrecorded += e.amount
      }
    } else if (s.kind === 'exodusWithdraw' && prev) {
      exitsPaidUnrecorded += prev.lovelace - s.lovelace // never recorded: the log is frozen
    }
    prev = s
  }
  let unabsorbedDeposits = 0n
  for (const [ref, c] of events.credits) if (!absorbed.has(ref) && p.atDepositAddress.has(ref)) unabsorbedDeposits += c.amount
  let balances = 0n
  let pendingExits = 0n
  const list = (p.state as Partial<{ allAccounts(): { balance: bigint; pendingExit: bigint }[] }>).allAccounts
  if (typeof list === 'function') {
    for (const a of list.call(p.state)) {
      balances += a.balance
      pendingExits += a.pendingExit
    }
  } else {
    for (const c of events.credits.values()) balances += c.amount
    for (const l of events.exits.values()) for (const e of l) balances -= e.amount
  }
  const anchorLovelace = last?.lovelace ?? 0n
  const reserveLovelace = genesis?.lovelace ?? ANCHOR_RESERVE_LOVELACE
  const r = checkConservation({ anchorLovelace, reserveLovelace, unabsorbedDeposits, balances, pendingExits, exitsPaidUnrecorded })
  return { ...r, seq: p.seq, settled, anchorLovelace, reserveLovelace, unabsorbedDeposits, balances, pendingExits, exitsPaidUnrecorded }
}
