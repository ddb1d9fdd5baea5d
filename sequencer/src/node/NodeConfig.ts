import { readFileSync } from 'node:fs'
import type { JsonSchema } from '../http/schema.js'
import { validate } from '../http/schema.js'
import type { StreamOptions } from '../http/stream/StreamHub.js'
import { MAX_DEPOSITS_PER_COMMIT } from '../l1/L1Settings.js'

/** The node's configuration: from a JSON file, then `LAGOON_*` environment variables over it. */
export interface NodeConfig {
  /** SQLite file path (`:memory:` for tests). */
  readonly db: string
  readonly host: string
  readonly port: number
  /** Accept submissions without a wallet token. */
  readonly open: boolean
  /**
   * `full`: a receipt is answered only once the WAL holding it is fdatasynced (receipts survive power
   * loss; the sync runs off the event loop and covers every group committed before it); `normal`:
   * synced only on checkpoints.
   */
  readonly durability: 'full' | 'normal'
  /** Signature-verifying worker threads (0: verify on the applier). */
  readonly verifyWorkers: number
  /**
   * The verifying threads' nice value (Linux, per thread; default 10): they yield a contended core to
   * the applier's thread. 0 on a machine whose other services must not be favoured over them.
   */
  readonly verifyNice?: number
  readonly maxGroup: number
  readonly maxQueue: number
  /**
   * How long a request body may take to arrive once the headers are in (default 15,000 ms): a client
   * that drips its body is answered 408 `BODY_TIMEOUT` and its connection closed.
   */
  readonly bodyTimeoutMs?: number
  /** The instance id (state token policy id), 28 bytes hex. */
  readonly instance: string
  /** The operator's account (receives fees), 28 bytes hex. */
  readonly operator: string
  /** BLAKE2b-256 of the terms of service, 32 bytes hex. */
  readonly terms: string
  /** Layer 1 (absent: no follower, no poster — a layer-2-only node). */
  readonly l1?: L1Config
  /** Bounds and cadence of the live streams (`GET /stream`, `GET /log/stream`); defaults in `StreamOptions`. */
  readonly streams?: StreamsConfig
}

/** The `streams` section of the configuration (docs/operating.md): the hub's options but its page size. */
export type StreamsConfig = Omit<StreamOptions, 'logPageSize'>

/** The layer-1 section of the configuration (docs/operating.md). */
export interface L1Config {
  /** `devnet`: an embedded strict devnet (demo; the instance is minted at start); `blockfrost`: Blockfrost or Yaci DevKit. */
  readonly backend: 'devnet' | 'blockfrost'
  /** Blockfrost-compatible API URL. */
  readonly url?: string
  readonly projectId?: string
  readonly network?: 'Mainnet' | 'Preprod' | 'Preview' | 'Custom'
  /** The out-ref `txHash#index` the state token's minting spent (fixes the scripts). */
  readonly seed?: string
  /** The operator's layer-1 signing key, bech32 `ed25519_sk…` (prefer LAGOON_L1_OPERATOR_KEY). */
  readonly operatorKey?: string
  readonly confirmations?: number
  readonly absorptionMarginMs?: number
  /** Lovelace, decimal string. */
  readonly minDepositLovelace?: string
  readonly pollMs?: number
  readonly batchIntervalMs?: number
  readonly batchMaxTasks?: number
  readonly exitsPerTx?: number
  readonly commitConfirmations?: number
  /** Most deposits one commit absorbs (1 … MAX_DEPOSITS_PER_COMMIT). */
  readonly maxDepositsPerCommit?: number
  /** Embedded devnet: ms of wall time per block. */
  readonly devnetBlockMs?: number
}

const L1_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    backend: { type: 'string', enum: ['devnet', 'blockfrost'] },
    url: { type: 'string', minLength: 1 },
    projectId: { type: 'string' },
    network: { type: 'string', enum: ['Mainnet', 'Preprod', 'Preview', 'Custom'] },
    seed: { type: 'string', pattern: '^[0-9a-f]{64}#[0-9]+$', description: 'txHash#index' },
    operatorKey: { type: 'string', pattern: '^ed25519e?_sk1[0-9a-z]+$', description: 'bech32 private key' },
    confirmations: { type: 'integer', minimum: 1, maximum: 1000 },
    absorptionMarginMs: { type: 'integer', minimum: 0 },
    minDepositLovelace: { type: 'string', pattern: '^[0-9]+$' },
    pollMs: { type: 'integer', minimum: 10 },
    batchIntervalMs: { type: 'integer', minimum: 0 },
    batchMaxTasks: { type: 'integer', minimum: 1 },
    exitsPerTx: { type: 'integer', minimum: 1, maximum: 19 },
    commitConfirmations: { type: 'integer', minimum: 1 },
    maxDepositsPerCommit: { type: 'integer', minimum: 1, maximum: MAX_DEPOSITS_PER_COMMIT },
    devnetBlockMs: { type: 'integer', minimum: 0 },
  },
  required: ['backend'],
  additionalProperties: false,
}

const STREAMS_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    maxClientBytes: { type: 'integer', minimum: 4096, maximum: 1 << 30 },
    maxClients: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    maxLogClients: { type: 'integer', minimum: 0, maximum: 100_000 },
    statsIntervalMs: { type: 'integer', minimum: 100 },
    pingIntervalMs: { type: 'integer', minimum: 1000 },
  },
  additionalProperties: false,
}

export const NODE_CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    db: { type: 'string', minLength: 1 },
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    open: { type: 'boolean' },
    durability: { type: 'string', enum: ['full', 'normal'] },
    verifyWorkers: { type: 'integer', minimum: 0, maximum: 64 },
    verifyNice: { type: 'integer', minimum: 0, maximum: 19 },
    maxGroup: { type: 'integer', minimum: 1, maximum: 100_000 },
    maxQueue: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    bodyTimeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 },
    instance: { type: 'string', pattern: '^[0-9a-f]{56}$', description: '28 bytes hex' },
    operator: { type: 'string', pattern: '^[0-9a-f]{56}$', description: '28 bytes hex' },
    terms: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '32 bytes hex' },
    l1: L1_SCHEMA,
    streams: STREAMS_SCHEMA,
  },
  required: ['db', 'instance', 'operator', 'terms'],
  additionalProperties: false,
}

const DEFAULTS = { host: '127.0.0.1', port: 8710, open: false, durability: 'full', verifyWorkers: 2, maxGroup: 4096, maxQueue: 100_000 } as const

const ENV: Record<string, { key: keyof NodeConfig; type: EnvType }> = {
  LAGOON_DB: { key: 'db', type: 'string' },
  LAGOON_HOST: { key: 'host', type: 'string' },
  LAGOON_PORT: { key: 'port', type: 'integer' },
  LAGOON_OPEN: { key: 'open', type: 'boolean' },
  LAGOON_DURABILITY: { key: 'durability', type: 'string' },
  LAGOON_VERIFY_WORKERS: { key: 'verifyWorkers', type: 'integer' },
  LAGOON_VERIFY_NICE: { key: 'verifyNice', type: 'integer' },
  LAGOON_BODY_TIMEOUT_MS: { key: 'bodyTimeoutMs', type: 'integer' },
  LAGOON_INSTANCE: { key: 'instance', type: 'string' },
  LAGOON_OPERATOR: { key: 'operator', type: 'string' },
  LAGOON_TERMS: { key: 'terms', type: 'string' },
}

const L1_ENV: Record<string, { key: keyof L1Config; type: EnvType }> = {
  LAGOON_L1_BACKEND: { key: 'backend', type: 'string' },
  LAGOON_L1_URL: { key: 'url', type: 'string' },
  LAGOON_L1_PROJECT_ID: { key: 'projectId', type: 'string' },
  LAGOON_L1_NETWORK: { key: 'network', type: 'string' },
  LAGOON_L1_SEED: { key: 'seed', type: 'string' },
  LAGOON_L1_OPERATOR_KEY: { key: 'operatorKey', type: 'string' },
  LAGOON_L1_CONFIRMATIONS: { key: 'confirmations', type: 'integer' },
  LAGOON_L1_BATCH_INTERVAL_MS: { key: 'batchIntervalMs', type: 'integer' },
  LAGOON_L1_BATCH_MAX_TASKS: { key: 'batchMaxTasks', type: 'integer' },
}

type EnvType = 'string' | 'integer' | 'boolean'

/** The settings a table of environment variables gives, typed; malformed values are added to `problems`. */
function readEnv(table: Record<string, { key: string; type: EnvType }>, env: Record<string, string | undefined>, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, { key, type }] of Object.entries(table)) {
    const v = env[name]
    if (v === undefined || v === '') continue
    if (type === 'integer') {
      if (!/^[0-9]+$/.test(v)) problems.push(`${name}: must be an integer, got "${v}"`)
      out[key] = Number(v)
    } else if (type === 'boolean') {
      if (!['true', 'false', '1', '0'].includes(v)) problems.push(`${name}: must be true or false, got "${v}"`)
      out[key] = v === 'true' || v === '1'
    } else out[key] = v
  }
  return out
}

/** A configuration that does not validate; `problems` name each field. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/**
 * Merges defaults, the JSON file (if any) and the environment, and validates the result; throws
 * `ConfigError` listing every problem.
 *
 * @example
 * const config = loadConfig('lagoon.json', process.env)
 */
export function loadConfig(file: string | undefined, env: Record<string, string | undefined> = process.env): NodeConfig {
  let fromFile: Record<string, unknown> = {}
  if (file) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      throw new ConfigError([`${file}: cannot read (${(e as Error).message})`])
    }
    try {
      fromFile = JSON.parse(text) as Record<string, unknown>
    } catch (e) {
      throw new ConfigError([`${file}: not JSON (${(e as Error).message})`])
    }
  }
  const problems: string[] = []
  const fromEnv = readEnv(ENV, env, problems)
  const l1Env = readEnv(L1_ENV, env, problems)
  const merged: Record<string, unknown> = { ...DEFAULTS, ...fromFile, ...fromEnv }
  if (Object.keys(l1Env).length > 0) merged.l1 = { ...(fromFile.l1 as object | undefined), ...l1Env }
  // A layer-1 section that names no backend means the default one, the embedded devnet.
  if (merged.l1 && typeof merged.l1 === 'object' && !('backend' in merged.l1)) merged.l1 = { backend: 'devnet', ...merged.l1 }
  problems.push(...validate(NODE_CONFIG_SCHEMA, merged, 'config'))
  const l1 = merged.l1 as L1Config | undefined
  if (l1?.backend === 'blockfrost') {
    if (!l1.url) problems.push('config.l1.url: required for the blockfrost backend')
    if (!l1.seed) problems.push('config.l1.seed: required for the blockfrost backend (the instance seed out-ref)')
    if (!l1.operatorKey) problems.push('config.l1.operatorKey (or LAGOON_L1_OPERATOR_KEY): required for the blockfrost backend')
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return merged as unknown as NodeConfig
}
