import { toHex } from '../../core/bytes.js'
import { NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { RequestOptions } from '../types.js'

/**
 * Where a withdrawal is, as the node (or relay) records it: requested on layer 2 → committed in a posted
 * root → paid (the log holds an `exitPaid` naming a layer-1 tx). `paid` is the node's word: before
 * telling a user it is paid, check the tx on layer 1 with `verifyExitPayout` (`@lagoon/sdk/audit-l1`).
 */
export type WithdrawalStatus = 'none' | 'requested' | 'committed' | 'paid'

/** One withdrawal request of an account. */
export interface Withdrawal {
  readonly amount: bigint
  readonly requestedSeq: number
  readonly status: Exclude<WithdrawalStatus, 'none'>
  /** The batch whose root includes it (committed, paid). */
  readonly batch?: number
  /** The layer-1 tx that paid it. */
  readonly paidTx?: string
}

/** What {@link getWithdrawalStatus} returns: the latest withdrawal's state, and every one. */
export interface WithdrawalStatusResult {
  /** The latest request's status; `none` when the account never asked. */
  readonly status: WithdrawalStatus
  /** The latest request's amount (0n for `none`). */
  readonly amount: bigint
  readonly batch?: number
  readonly paidTx?: string
  /** Every request, oldest first. */
  readonly withdrawals: readonly Withdrawal[]
}

/** Parameters of {@link getWithdrawalStatus}. */
export interface GetWithdrawalStatusParams extends RequestOptions {
  readonly account: Uint8Array | string
}

const STATUSES = ['requested', 'committed', 'paid']

/**
 * Where an account's withdrawals are (`GET /accounts/:id/withdrawals`): `requested` (pending exit on
 * layer 2), `committed` (in a root posted on layer 1: withdrawable with a proof), `paid` (the node
 * records it paid by `paidTx`; see it on layer 1 with `verifyExitPayout` before saying so).
 *
 * @example
 * const { status, amount } = await client.getWithdrawalStatus({ account })
 * if (status === 'committed') await client.withdraw({ lucid }) // or wait for the operator's payout
 */
export async function getWithdrawalStatus(client: BaseClient, params: GetWithdrawalStatusParams): Promise<WithdrawalStatusResult> {
  const id = typeof params.account === 'string' ? params.account.toLowerCase() : toHex(params.account)
  const request = 'GET /accounts/:id/withdrawals'
  const r = await client.request<unknown>({ method: 'GET', path: `/accounts/${id}/withdrawals`, ...(params.signal ? { signal: params.signal } : {}) })
  if (!Array.isArray(r)) throw new NetworkError('BAD_RESPONSE', `${request}: not a list`, { request })
  const withdrawals = r.map((x: Record<string, unknown>): Withdrawal => {
    if (typeof x.amount !== 'string' || !STATUSES.includes(x.status as string)) throw new NetworkError('BAD_RESPONSE', `${request}: a withdrawal is malformed`, { request })
    return {
      amount: BigInt(x.amount),
      requestedSeq: Number(x.requestedSeq),
      status: x.status as Withdrawal['status'],
      ...(Number.isSafeInteger(x.batch) ? { batch: x.batch as number } : {}),
      ...(typeof x.paidTx === 'string' ? { paidTx: x.paidTx } : {}),
    }
  })
  const last = withdrawals[withdrawals.length - 1]
  if (!last) return { status: 'none', amount: 0n, withdrawals }
  return { status: last.status, amount: last.amount, ...(last.batch !== undefined ? { batch: last.batch } : {}), ...(last.paidTx ? { paidTx: last.paidTx } : {}), withdrawals }
}
