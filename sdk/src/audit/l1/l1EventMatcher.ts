import type { AuditDivergence } from '../types.js'
import type { CreditedDeposit, L1Events } from './l1EventCollector.js'
import type { AnchorStep } from './readAnchorHistory.js'

/** A credit of the log with its out-ref. */
export interface CreditAt extends CreditedDeposit {
  /** `txHash#index` */
  readonly outRef: string
}

/**
 * Matches a replay's layer-1 events with the anchor's history, commitment by commitment, in chain order
 * (see {@link l1EventMatcher}).
 *
 * @example
 * const m = l1EventMatcher(collector.events)
 * for (const s of steps) { const d = s.kind === 'commit' ? m.commit(s) : (m.withdraw(s), undefined); if (d) return d }
 */
export interface L1EventMatcher {
  /** A Withdraw or ExodusWithdraw step: the exits it paid must be in the log by the next commitment. */
  withdraw(step: AnchorStep): void
  /** A Commit step: the first divergence of its deposits and of the exits paid before it, or undefined. */
  commit(step: AnchorStep): AuditDivergence | undefined
  /** Deposits absorbed so far, each credited by the log in the commitment's range. */
  readonly depositsAbsorbed: number
  /** Exits paid on layer 1 before the last commitment, each recorded by the log by then. */
  readonly exitsChecked: number
  /** Exits paid by Withdraw txs after the last commitment (not judged yet: recorded later). */
  readonly exitsAfterLastCommit: number
  /** The out-refs absorbed so far. */
  readonly absorbed: ReadonlySet<string>
  /** The last commitment's seq (0: none yet). */
  readonly lastCommittedSeq: number
  /** The credits after the last commitment's seq: not absorbed yet (the open tail), in seq order. */
  tail(): CreditAt[]
}

/**
 * Holds the protocol's deposit and exit rules against the chain, one commitment at a time. A batch's
 * range is the seqs after the previous commitment's, up to its own. At each Commit:
 *
 * - every deposit it absorbed on layer 1 was credited by the log (same owner and amount, ADA only) at a
 *   seq ≤ its seq (`DEPOSIT_NOT_CREDITED`, `DEPOSIT_NOT_ON_L1` for one holding tokens);
 * - every deposit the log credited in its range was absorbed by it: a batch absorbs exactly the deposits
 *   credited in it, none later (`DEPOSIT_NOT_ABSORBED`; a credit for an output layer 1 never had can
 *   never be absorbed, so it is caught here once a commitment passes it);
 * - every exit a Withdraw paid since the previous commitment is recorded by an `exitPaid` at a seq ≤ its
 *   seq (`EXIT_NOT_RECORDED`).
 *
 * The credits after the last commitment (`tail()`) are the open tail: not absorbed yet; their outputs are
 * checked on layer 1 by `checkLogEventsOnL1`.
 *
 * @example
 * const m = l1EventMatcher(events)
 * const d = m.commit(step) // undefined, or the first divergence at that commitment
 */
export function l1EventMatcher(events: L1Events): L1EventMatcher {
  const credits: CreditAt[] = [...events.credits].map(([outRef, c]) => ({ outRef, ...c })).sort((a, b) => a.seq - b.seq)
  let next = 0
  let prevSeq = 0
  let depositsAbsorbed = 0
  let exitsChecked = 0
  const absorbed = new Set<string>()
  let pendingWithdraws: AnchorStep[] = []

  function commit(s: AnchorStep): AuditDivergence | undefined {
    const batch = Number(s.datum.batch)
    const seq = Number(s.datum.logSeq)
    const withTokens = new Set(s.depositsWithTokens ?? [])
    const taken = new Set<string>()
    for (const d of s.deposits ?? []) {
      const ref = `${d.txHash}#${d.outputIndex}`
      const c = events.credits.get(ref)
      const expected = `credited to ${d.owner} for ${d.amount} lovelace at a seq ≤ ${seq}`
      const found = !c ? 'never credited' : `credited to ${c.owner} for ${c.amount} lovelace at seq ${c.seq}`
      if (!c || c.seq > seq || c.owner !== d.owner.toLowerCase() || c.amount !== d.amount) {
        return { kind: 'DEPOSIT_NOT_CREDITED', batch, seq, outRef: ref, expected, found, l1Tx: s.txHash, message: `batch ${batch} (tx ${s.txHash}) absorbed deposit ${ref} on layer 1, which the log ${found}` }
      }
      if (withTokens.has(ref)) {
        return {
          kind: 'DEPOSIT_NOT_ON_L1',
          seq: c.seq,
          outRef: ref,
          expected: `an ADA-only output of ${c.amount} lovelace`,
          found: 'an output holding other assets too',
          message: `the log credits deposit ${ref} at seq ${c.seq}, but that output holds other assets besides ADA (never creditable)`,
        }
      }
      taken.add(ref)
    }
    for (; next < credits.length && credits[next]!.seq <= seq; next++) {
      const c = credits[next]!
      if (c.seq <= prevSeq || taken.has(c.outRef)) continue
      return {
        kind: 'DEPOSIT_NOT_ABSORBED',
        seq: c.seq,
        batch,
        outRef: c.outRef,
        expected: `absorbed by batch ${batch} (its range is seq ${prevSeq + 1}…${seq})`,
        found: `not among the ${taken.size} deposits its commit spent`,
        l1Tx: s.txHash,
        message: `the log credits deposit ${c.outRef} (${c.amount} lovelace to ${c.owner}) at seq ${c.seq}, inside batch ${batch}'s range, but batch ${batch}'s commitment (tx ${s.txHash}) did not absorb it on layer 1`,
      }
    }
    for (const w of pendingWithdraws) {
      const recorded = (events.exits.get(w.txHash) ?? []).filter((e) => e.seq <= seq)
      for (const e of w.exits ?? []) {
        const at = recorded.findIndex((r) => r.account === e.account.toLowerCase() && r.amount === e.amount)
        if (at < 0) {
          return {
            kind: 'EXIT_NOT_RECORDED',
            batch,
            seq,
            account: e.account,
            expected: `an exitPaid of ${e.amount} lovelace to ${e.account} (tx ${w.txHash}) at a seq ≤ ${seq}`,
            found: recorded.length === 0 ? 'no exit recorded for that tx' : `${recorded.length} other exits recorded for that tx`,
            l1Tx: w.txHash,
            message: `layer-1 tx ${w.txHash} paid ${e.amount} lovelace to ${e.account} before batch ${batch}, but the log does not record it by seq ${seq}`,
          }
        }
        recorded.splice(at, 1)
        exitsChecked++
      }
    }
    for (const ref of taken) absorbed.add(ref)
    depositsAbsorbed += taken.size
    pendingWithdraws = []
    prevSeq = Math.max(prevSeq, seq)
    return undefined
  }

  return {
    withdraw(s) {
      if (s.kind === 'withdraw') pendingWithdraws.push(s)
    },
    commit,
    get depositsAbsorbed() {
      return depositsAbsorbed
    },
    get exitsChecked() {
      return exitsChecked
    },
    get exitsAfterLastCommit() {
      return pendingWithdraws.reduce((n, s) => n + (s.exits?.length ?? 0), 0)
    },
    absorbed,
    get lastCommittedSeq() {
      return prevSeq
    },
    tail: () => credits.filter((c) => c.seq > prevSeq && !absorbed.has(c.outRef)),
  }
}
