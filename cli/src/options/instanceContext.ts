import { ApiError, createLagoonClient, DEFAULT_LIMITS, fromHex, loadBlake2b256, NetworkError, type ApplyContext } from '@lagoon/sdk'
import { createNodeEd25519Verify } from '@lagoon/sdk/node'
import { lagoonScripts, type LagoonScripts } from '@lagoon/sdk/l1'
import { CliError } from '../CliError.js'
import { nodeReadError } from './nodeReadError.js'

/**
 * The options {@link instanceContext} reads (add them to a command's `options`).
 *
 * @example
 * options: { node: { type: 'string' }, ...INSTANCE_OPTIONS }
 */
export const INSTANCE_OPTIONS = {
  instance: { type: 'string' },
  operator: { type: 'string' },
  terms: { type: 'string' },
  seed: { type: 'string' },
  network: { type: 'string' },
} as const

/**
 * What an auditor or relay needs to replay an instance's log, and find it on layer 1.
 *
 * @example
 * const { instance, ctx, scripts } = await instanceContext(nodeUrl, values)
 */
export interface InstanceContext {
  /** hex */
  readonly instance: string
  /** The apply context: the instance's parameters and Node's crypto. */
  readonly ctx: ApplyContext
  /** The instance's scripts and addresses, derived from the seed with this SDK's blueprint (when the seed is known). */
  readonly scripts: LagoonScripts | undefined
  /** Where the settings came from. */
  readonly source: 'flags' | 'node'
}

const NETWORKS = ['Mainnet', 'Preprod', 'Preview', 'Custom'] as const
const hex = (v: unknown, bytes: number, what: string): string => {
  if (typeof v !== 'string' || !new RegExp(`^[0-9a-fA-F]{${2 * bytes}}$`).test(v)) throw new CliError('BAD_INSTANCE', `${what} must be ${bytes} bytes of hex, got ${JSON.stringify(v)}`, `check --${what} or the node's GET /instance`)
  return v.toLowerCase()
}

/**
 * The instance's parameters for a replay: from `--instance --operator --terms [--seed TX#I --network N]`,
 * else from the node's `GET /instance` (then `--instance`, if given, pins it: a node serving another
 * instance is refused). The scripts are re-derived from the seed with this SDK's blueprint and must
 * mint the instance's policy id, so a node cannot point the auditor at other addresses. The node's
 * answer is read within bounds (size, and `timeoutMs` for the whole exchange).
 *
 * @example
 * const { ctx, scripts } = await instanceContext('http://127.0.0.1:8080', values)
 */
export async function instanceContext(nodeUrl: string, values: Record<string, unknown>, signal?: AbortSignal, timeoutMs?: number): Promise<InstanceContext> {
  let raw: Record<string, unknown>
  let source: InstanceContext['source'] = 'flags'
  if (values.instance && values.operator && values.terms) {
    raw = { instance: values.instance, operatorAccount: values.operator, terms: values.terms, seed: values.seed, network: values.network }
  } else {
    source = 'node'
    const client = createLagoonClient({ url: nodeUrl, ...(timeoutMs !== undefined ? { timeoutMs } : {}) })
    try {
      raw = await client.request<Record<string, unknown>>({ method: 'GET', path: '/instance', ...(signal ? { signal } : {}) })
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        throw new CliError('NO_INSTANCE', `the node at ${nodeUrl} does not publish its instance (GET /instance: 404)`, 'pass --instance, --operator and --terms (hex), and --seed TX#I --network N to check layer 1')
      }
      if (e instanceof ApiError) throw new CliError('NODE_ERROR', `GET ${nodeUrl}/instance answered HTTP ${e.status}`, 'check --node')
      if (e instanceof NetworkError && (e.code === 'NETWORK_ERROR' || e.code === 'TIMEOUT')) {
        throw new CliError('NODE_UNREACHABLE', `the node at ${nodeUrl} does not answer: ${e.message}`, 'check --node (or LAGOON_NODE)')
      }
      throw nodeReadError(e, nodeUrl)
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new CliError('NODE_ERROR', `GET ${nodeUrl}/instance is not an object`, 'check --node')
    if (typeof values.seed === 'string') raw.seed = values.seed
    if (typeof values.network === 'string') raw.network = values.network
  }
  const instance = hex(raw.instance, 28, 'instance')
  if (typeof values.instance === 'string' && values.instance.toLowerCase() !== instance) {
    throw new CliError('INSTANCE_MISMATCH', `the node serves instance ${instance}, not ${values.instance}`, 'check --node and --instance')
  }
  const operator = hex(raw.operatorAccount, 28, 'operator')
  const terms = hex(raw.terms, 32, 'terms')
  let scripts: LagoonScripts | undefined
  const seed = typeof raw.seed === 'string' ? raw.seed : raw.seed && typeof raw.seed === 'object' ? `${(raw.seed as { txHash: string }).txHash}#${(raw.seed as { outputIndex: number }).outputIndex}` : undefined
  if (seed !== undefined) {
    const m = /^([0-9a-fA-F]{64})#(\d+)$/.exec(seed)
    if (!m) throw new CliError('BAD_INSTANCE', `the seed must be TXHASH#INDEX, got ${JSON.stringify(seed)}`, 'check --seed')
    const network = raw.network as (typeof NETWORKS)[number]
    if (!NETWORKS.includes(network)) throw new CliError('BAD_INSTANCE', `the network must be one of ${NETWORKS.join(', ')}, got ${JSON.stringify(raw.network)}`, 'pass --network')
    scripts = lagoonScripts({ txHash: m[1]!.toLowerCase(), outputIndex: Number(m[2]) }, network)
    if (scripts.policyId !== instance) {
      throw new CliError('INSTANCE_MISMATCH', `the seed ${seed} mints policy ${scripts.policyId}, not the instance ${instance}`, 'the node publishes inconsistent settings, or --seed is wrong')
    }
  }
  const ctx: ApplyContext = {
    params: { instance: fromHex(instance), operator: fromHex(operator), terms: fromHex(terms), limits: DEFAULT_LIMITS },
    hash: await loadBlake2b256(),
    verifyEd25519: createNodeEd25519Verify(),
  }
  return { instance, ctx, scripts, source }
}
