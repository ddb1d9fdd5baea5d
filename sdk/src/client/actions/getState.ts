import { NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { NodeState, RequestOptions } from '../types.js'

/**
 * The node's tip: the last seq, the log head and the state root over every applied task.
 *
 * @example
 * const { seq, logHead, root } = await client.getState()
 */
export async function getState(client: BaseClient, params: RequestOptions = {}): Promise<NodeState> {
  const r = await client.request<Partial<NodeState>>({ method: 'GET', path: '/state', ...(params.signal ? { signal: params.signal } : {}) })
  if (!Number.isSafeInteger(r.seq) || typeof r.logHead !== 'string' || typeof r.root !== 'string') {
    throw new NetworkError('BAD_RESPONSE', 'GET /state: the response is not a tip', { request: 'GET /state' })
  }
  return { seq: r.seq!, logHead: r.logHead, root: r.root, accounts: r.accounts ?? 0 }
}
