import { NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { RequestOptions } from '../types.js'

/** A batch: a state root the operator posts (or posted) on layer 1. */
export interface Batch {
  readonly number: number
  /** The state root, hex. */
  readonly root: string
  readonly firstSeq: number
  readonly lastSeq: number
  readonly logHead: string
  /** The commit's layer-1 tx hash, once submitted. */
  readonly l1Tx: string | null
  readonly status: 'pending' | 'submitted' | 'confirmed' | 'failed'
  /** Deposits it absorbs, `txHash#index`. */
  readonly deposits: readonly string[]
}

/** Parameters of {@link getBatches}. */
export interface GetBatchesParams extends RequestOptions {
  /** First batch number; default 0. */
  readonly from?: number
  /** At most this many (the node caps at 1,000); default 100. */
  readonly limit?: number
}

const STATUSES = ['pending', 'submitted', 'confirmed', 'failed']

/**
 * The operator's batches from `from` (`GET /batches`), oldest first.
 *
 * @example
 * const [last] = (await client.getBatches({ from: 0, limit: 1000 })).slice(-1)
 */
export async function getBatches(client: BaseClient, params: GetBatchesParams = {}): Promise<Batch[]> {
  const r = await client.request<unknown>({ method: 'GET', path: `/batches?from=${params.from ?? 0}&limit=${params.limit ?? 100}`, ...(params.signal ? { signal: params.signal } : {}) })
  if (!Array.isArray(r)) throw new NetworkError('BAD_RESPONSE', 'GET /batches: not a list', { request: 'GET /batches' })
  return r.map((x: Record<string, unknown>) => {
    if (!Number.isSafeInteger(x.number) || typeof x.root !== 'string' || !Number.isSafeInteger(x.lastSeq) || !STATUSES.includes(x.status as string)) {
      throw new NetworkError('BAD_RESPONSE', 'GET /batches: a batch is malformed', { request: 'GET /batches' })
    }
    return {
      number: x.number as number,
      root: x.root,
      firstSeq: Number(x.firstSeq),
      lastSeq: x.lastSeq as number,
      logHead: String(x.logHead ?? ''),
      l1Tx: typeof x.l1Tx === 'string' ? x.l1Tx : null,
      status: x.status as Batch['status'],
      deposits: Array.isArray(x.deposits) ? (x.deposits as string[]) : [],
    }
  })
}
