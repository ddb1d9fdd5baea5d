import { encodeCanonical } from '../../core/cbor/canonical.js'
import type { SignedTx } from '../../core/tx/types.js'
import { ApiError, NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { Receipt, RequestOptions } from '../types.js'
import { parseReceipt } from './parseReceipt.js'

/** Parameters of {@link submitTxs}. */
export interface SubmitTxsParams extends RequestOptions {
  readonly txs: readonly (SignedTx | Uint8Array)[]
}

/** One result of {@link submitTxs}: a receipt, or the node's error for that transaction. */
export type SubmitTxsResult = { readonly ok: true; readonly receipt: Receipt } | { readonly ok: false; readonly error: ApiError }

/**
 * Submits many signed transactions in one request (`POST /txs`); they enter the queue in array order.
 * Returns one result per transaction; a transaction's refusal does not fail the others.
 *
 * @example
 * const results = await client.submitTxs({ txs: [tx0, tx1, tx2] })
 * results.filter((r) => !r.ok).map((r) => r.error.code)
 */
export async function submitTxs(client: BaseClient, params: SubmitTxsParams): Promise<SubmitTxsResult[]> {
  const body = encodeCanonical(params.txs.map((t) => (t instanceof Uint8Array ? t : t.bytes)))
  const name = 'POST /txs'
  const r = await client.request<{ results?: unknown }>({ method: 'POST', path: '/txs', body, ...(params.signal ? { signal: params.signal } : {}) })
  if (!Array.isArray(r.results)) throw new NetworkError('BAD_RESPONSE', `${name}: no results`, { request: name })
  return r.results.map((x: { receipt?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } }) =>
    x.receipt !== undefined
      ? { ok: true as const, receipt: parseReceipt(x.receipt, name) }
      : {
          ok: false as const,
          error: new ApiError(x.error?.code ?? 'INTERNAL', x.error?.message ?? 'no message', {
            status: 200,
            request: name,
            ...(x.error?.details ? { details: x.error.details } : {}),
          }),
        },
  )
}
