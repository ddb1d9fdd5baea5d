import type Database from 'better-sqlite3'
import { toHex } from '../core.js'

/** One withdrawal request of an account and where it stands (`GET /accounts/:id/withdrawals`). */
export interface Withdrawal {
  /** Lovelace, decimal. */
  readonly amount: string
  /** The log seq of the layer-2 tx that requested it. */
  readonly requestedSeq: number
  /**
   * `requested`: a pending exit in the layer-2 state, not yet in a confirmed batch; `committed`: in a
   * confirmed batch (provable against the anchor), not yet paid; `paid`: paid on layer 1 by `paidTx`.
   */
  readonly status: 'requested' | 'committed' | 'paid'
  /** The confirmed batch whose root holds the request (committed and paid). */
  readonly batch?: number
  /** The layer-1 tx that paid it (hex). */
  readonly paidTx?: string
}

interface Stmts {
  requests: Database.Statement<[Uint8Array], { amount: string; requested_seq: number }>
  payments: Database.Statement<[Uint8Array], { amount: string; paid_tx: Buffer }>
  batchOf: Database.Statement<[number, number], number>
}

const cache = new WeakMap<Database.Database, Stmts>()

function stmts(db: Database.Database): Stmts {
  let s = cache.get(db)
  if (!s) {
    s = {
      requests: db.prepare('SELECT amount, requested_seq FROM exits WHERE account = ? AND requested_seq IS NOT NULL ORDER BY requested_seq, id'),
      payments: db.prepare('SELECT amount, paid_tx FROM exits WHERE account = ? AND paid_tx IS NOT NULL ORDER BY paid_seq, id'),
      batchOf: db.prepare<[number, number], number>(`SELECT number FROM batches WHERE status = 'confirmed' AND first_seq <= ? AND last_seq >= ? ORDER BY number LIMIT 1`).pluck(),
    }
    cache.set(db, s)
  }
  return s
}

/**
 * An account's withdrawal requests, oldest first, with their status. The exits table records each
 * request (from the applied withdraw action) and each payment (from the exit-paid task); a payment
 * pays the whole pending exit at a committed root, so payments are matched to requests first-in
 * first-out by amount.
 *
 * @example
 * withdrawalsOf(db, alice) // [{ amount: '4000000', requestedSeq: 7, status: 'paid', batch: 1, paidTx: 'ab…' }]
 */
export function withdrawalsOf(db: Database.Database, account: Uint8Array): Withdrawal[] {
  const s = stmts(db)
  const requests = s.requests.all(account)
  const paidBy: (string | undefined)[] = new Array(requests.length)
  let at = 0
  let credit = 0n
  for (const p of s.payments.all(account)) {
    credit += BigInt(p.amount)
    while (at < requests.length && credit >= BigInt(requests[at]!.amount)) {
      credit -= BigInt(requests[at]!.amount)
      paidBy[at++] = toHex(p.paid_tx)
    }
  }
  return requests.map((r, i) => {
    const batch = s.batchOf.get(r.requested_seq, r.requested_seq)
    const base = { amount: r.amount, requestedSeq: r.requested_seq }
    if (paidBy[i]) return { ...base, status: 'paid', ...(batch !== undefined ? { batch } : {}), paidTx: paidBy[i] }
    if (batch !== undefined) return { ...base, status: 'committed', batch }
    return { ...base, status: 'requested' }
  })
}
