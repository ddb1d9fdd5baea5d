import { toHex } from '../../core/bytes.js'
import type { Account, RequestOptions } from '../types.js'
import { field, type BaseClient } from '../transport.js'

/** Parameters of {@link getAccount}. */
export interface GetAccountParams extends RequestOptions {
  /** The account id (28 bytes, or hex). */
  readonly account: Uint8Array | string
}

const isStr = (v: unknown): v is string => typeof v === 'string'
const isInt = (v: unknown): v is number => Number.isSafeInteger(v)

/**
 * An account's balance, pending exit, nonce, key and epoch. Throws `ApiError` `NOT_FOUND` (404) for an
 * account that does not exist.
 *
 * @example
 * const a = await client.getAccount({ account: aliceHex })
 * a.balance // 40_000_000n
 */
export async function getAccount(client: BaseClient, params: GetAccountParams): Promise<Account> {
  const id = typeof params.account === 'string' ? params.account.toLowerCase() : toHex(params.account)
  const r = await client.request<Record<string, unknown>>({ method: 'GET', path: `/accounts/${id}`, ...(params.signal ? { signal: params.signal } : {}) })
  const req = 'GET /accounts/:id'
  return {
    id: field(r.id, isStr, 'id', req),
    index: field(r.index, isInt, 'index', req),
    ...(typeof r.l2Key === 'string' ? { l2Key: r.l2Key } : {}),
    keyEpoch: field(r.keyEpoch, isInt, 'keyEpoch', req),
    balance: BigInt(field(r.balance, isStr, 'balance', req)),
    pendingExit: BigInt(field(r.pendingExit, isStr, 'pendingExit', req)),
    nonce: field(r.nonce, isInt, 'nonce', req),
    recordCount: field(r.recordCount, isInt, 'recordCount', req),
  }
}
