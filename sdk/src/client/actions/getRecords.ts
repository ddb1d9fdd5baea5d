import { fromHex, toHex } from '../../core/bytes.js'
import { NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { RecordEntry, RequestOptions } from '../types.js'

/** Parameters of {@link getRecords}. */
export interface GetRecordsParams extends RequestOptions {
  readonly account: Uint8Array | string
}

/**
 * An account's records, sorted by key (bytewise). Throws `ApiError` `NOT_FOUND` for an unknown account.
 *
 * @example
 * const records = await client.getRecords({ account })
 * new TextDecoder().decode(records[0].value)
 */
export async function getRecords(client: BaseClient, params: GetRecordsParams): Promise<RecordEntry[]> {
  const id = typeof params.account === 'string' ? params.account.toLowerCase() : toHex(params.account)
  const r = await client.request<unknown>({ method: 'GET', path: `/accounts/${id}/records`, ...(params.signal ? { signal: params.signal } : {}) })
  if (!Array.isArray(r)) throw new NetworkError('BAD_RESPONSE', 'GET /accounts/:id/records: not a list', { request: 'GET /accounts/:id/records' })
  return r.map((x: { key: string; value: string }) => ({ key: fromHex(x.key), value: fromHex(x.value) }))
}
