import { ApiError, NetworkError } from '../errors.js'
import { LayerOneError } from '../l1/LayerOneError.js'
import type { BaseClient } from '../transport.js'
import type { RequestOptions } from '../types.js'

/** A Lagoon instance's layer-1 settings, as the node publishes them (`GET /instance`); hex strings. */
export interface InstanceInfo {
  /** The instance id: the state token's policy id (28 bytes, hex). */
  readonly instance: string
  /** The out-ref whose spending minted the state token: every script derives from it. */
  readonly seed: { readonly txHash: string; readonly outputIndex: number }
  /** Lucid's network name: `Mainnet`, `Preprod`, `Preview` or `Custom` (a devnet). */
  readonly network: 'Mainnet' | 'Preprod' | 'Preview' | 'Custom'
  readonly anchorAddress: string
  readonly depositAddress: string
  /** policy id + asset name of the state token. */
  readonly stateTokenUnit: string
  /** The operator's layer-1 payment key hash (signs commitments). */
  readonly operatorKeyHash: string
  /** The operator's layer-2 account (collects fees). */
  readonly operatorAccount: string
  /** ms without a commitment after which anyone may freeze the anchor. */
  readonly exodusTimeoutMs: number
  /** Layer-1 confirmations before the node credits a deposit (k). */
  readonly confirmations: number
  /** BLAKE2b-256 of the terms of service that registration signs. */
  readonly terms: string
}

const NETWORKS = ['Mainnet', 'Preprod', 'Preview', 'Custom'] as const

/**
 * Checks and normalises an `InstanceInfo` (from `GET /instance`, or saved earlier: the layer-1
 * actions work without the node once they have it). Throws `NetworkError('BAD_RESPONSE')` on a bad shape.
 *
 * @example
 * const info = parseInstanceInfo(JSON.parse(readFileSync('instance.json', 'utf8')))
 */
export function parseInstanceInfo(r: unknown, request = 'GET /instance'): InstanceInfo {
  const x = (r ?? {}) as Record<string, unknown>
  const bad = (what: string): never => {
    throw new NetworkError('BAD_RESPONSE', `${request}: ${what} is missing or malformed`, { request })
  }
  const hex = (k: string, len?: number): string => {
    const v = x[k]
    if (typeof v !== 'string' || !/^([0-9a-f]{2})*$/i.test(v) || (len !== undefined && v.length !== 2 * len)) bad(k)
    return (v as string).toLowerCase()
  }
  const str = (k: string): string => (typeof x[k] === 'string' && (x[k] as string).length > 0 ? (x[k] as string) : bad(k))
  const num = (k: string): number => {
    const n = typeof x[k] === 'string' ? Number(x[k]) : x[k]
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : bad(k)
  }
  const seedStr = typeof x.seed === 'string' ? x.seed : x.seed && typeof x.seed === 'object' ? `${(x.seed as Record<string, unknown>).txHash}#${(x.seed as Record<string, unknown>).outputIndex}` : ''
  const m = /^([0-9a-f]{64})#(\d+)$/i.exec(seedStr)
  if (!m) bad('seed')
  const network = x.network as InstanceInfo['network']
  if (!NETWORKS.includes(network)) bad('network')
  return {
    instance: hex('instance', 28),
    seed: { txHash: m![1]!.toLowerCase(), outputIndex: Number(m![2]) },
    network,
    anchorAddress: str('anchorAddress'),
    depositAddress: str('depositAddress'),
    stateTokenUnit: hex('stateTokenUnit'),
    operatorKeyHash: hex('operatorKeyHash', 28),
    operatorAccount: hex('operatorAccount', 28),
    exodusTimeoutMs: num('exodusTimeoutMs'),
    confirmations: num('confirmations'),
    terms: hex('terms', 32),
  }
}

/**
 * The instance's layer-1 settings (`GET /instance`): the seed every script derives from, the network,
 * the anchor and deposit addresses, the operator, the exodus timeout, k and the terms hash. The
 * layer-1 actions re-derive the scripts from the seed with this SDK's blueprint and refuse an instance
 * whose addresses differ (`INSTANCE_MISMATCH`), so a node cannot point a deposit elsewhere.
 * `LayerOneError('NO_L1')` when the node runs without layer 1.
 *
 * @example
 * const info = await client.getInstance()
 * info.depositAddress // addr_test1w…
 */
export async function getInstance(client: BaseClient, params: RequestOptions = {}): Promise<InstanceInfo> {
  let r: unknown
  try {
    r = await client.request({ method: 'GET', path: '/instance', ...(params.signal ? { signal: params.signal } : {}) })
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'NO_L1' || e.status === 404)) {
      throw new LayerOneError('NO_L1', `the node at ${client.url} has no layer 1: deposits and withdrawals are not available there`, { cause: e })
    }
    throw e
  }
  return parseInstanceInfo(r)
}
