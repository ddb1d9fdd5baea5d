import { createLagoonClient, type LagoonClient } from '../../../sdk/src/client/index.js'
import type { InstanceInfo } from '../../../sdk/src/client/actions/getInstance.js'
import { loadBlake2b256, type Blake2b256 } from '../../../sdk/src/core/crypto/blake2b256.js'

/** What `GET /instance` says about the Lagoon instance (the SDK's parsed form). */
export type { InstanceInfo }

/** A funded wallet of the devnet, from `GET /demo/config`. */
export interface DemoWallet {
  readonly name: string
  readonly address: string
  readonly privateKey: string
  /** Its Lagoon account (payment key hash), hex. */
  readonly account?: string
}

/** `GET /demo/config` (only when the node runs on the embedded devnet). */
export interface DemoConfig {
  readonly nodeUrl: string
  readonly l1Url: string
  readonly network: string
  readonly instance: unknown
  readonly demoWallets: readonly DemoWallet[]
  readonly token?: string
}

/** Everything the page needs to start: the node's client, the instance, and the layer-1 access. */
export interface Setup {
  /** The node's API: the page's own origin. */
  readonly nodeUrl: string
  readonly client: LagoonClient
  readonly hash: Blake2b256
  /** `null` when the node has no layer 1 (`NO_L1`). */
  readonly instance: InstanceInfo | null
  /** The Blockfrost-compatible API of layer 1: the devnet's, or `?l1=` in the page's URL. */
  readonly l1Url: string | null
  /** `null` when the node is not a devnet demo. */
  readonly demo: DemoConfig | null
}

async function getJson<T>(url: string): Promise<{ status: number; body: T | null }> {
  const r = await fetch(url, { headers: { accept: 'application/json' } })
  if (!r.ok) return { status: r.status, body: null }
  return { status: r.status, body: (await r.json()) as T }
}

/**
 * Reads the demo configuration (if any) and the instance from the node the page was served by, and
 * builds the client (WebAssembly BLAKE2b for tx ids).
 *
 * @example
 * const setup = await loadSetup(location.origin)
 * setup.instance?.confirmations // 5
 */
export async function loadSetup(nodeUrl: string): Promise<Setup> {
  const [demoRes, hash] = await Promise.all([getJson<DemoConfig>(`${nodeUrl}/demo/config`).catch(() => ({ status: 0, body: null })), loadBlake2b256()])
  const demo = demoRes.body
  const base = createLagoonClient({ url: nodeUrl, hash, ...(demo?.token ? { token: demo.token } : {}) })
  let instance: InstanceInfo | null = null
  try {
    instance = await base.getInstance()
  } catch (e) {
    // A node without layer 1 (or an older node without the route): the page runs as an explorer only.
    const code = (e as { code?: unknown }).code
    if (code !== 'NO_L1' && code !== 'NOT_FOUND') throw e
  }
  const client = instance
    ? createLagoonClient({ url: nodeUrl, hash, instance: instance.instance, terms: instance.terms, ...(demo?.token ? { token: demo.token } : {}) })
    : base
  const fromQuery = new URLSearchParams(location.search).get('l1')
  return { nodeUrl, client, hash, instance, l1Url: fromQuery ?? demo?.l1Url ?? null, demo }
}
