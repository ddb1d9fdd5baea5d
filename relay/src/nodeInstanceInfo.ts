import { ApiError, LagoonError, NetworkError, type BaseClient } from '@lagoon/sdk'

/**
 * The node's `GET /instance` (its instance id, operator account and terms), read within the client's
 * bounds. `NO_INSTANCE` when the node does not publish it, `NODE_UNREACHABLE` when it does not answer;
 * an answer that breaks a reading bound keeps its own code (`RESPONSE_TOO_LARGE`, `BODY_TIMEOUT`).
 *
 * @example
 * const info = await nodeInstanceInfo(createLagoonClient({ url }))
 */
export async function nodeInstanceInfo(node: BaseClient): Promise<Record<string, unknown>> {
  let info: unknown
  try {
    info = await node.request<unknown>({ method: 'GET', path: '/instance' })
  } catch (e) {
    if (e instanceof ApiError) throw new LagoonError('NO_INSTANCE', `the node at ${node.url} does not publish GET /instance (HTTP ${e.status}): give params`)
    if (e instanceof NetworkError && (e.code === 'NETWORK_ERROR' || e.code === 'TIMEOUT')) {
      throw new LagoonError('NODE_UNREACHABLE', `the node at ${node.url} does not answer: ${e.message}`, { cause: e })
    }
    throw e
  }
  if (!info || typeof info !== 'object' || Array.isArray(info)) throw new LagoonError('NO_INSTANCE', `the node at ${node.url} serves no instance object at GET /instance: give params`)
  return info as Record<string, unknown>
}
