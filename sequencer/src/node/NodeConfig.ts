import { readFileSync } from 'node:fs'
import type { JsonSchema } from '../http/schema.js'
import { validate } from '../http/schema.js'

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
  readonly maxGroup: number
  readonly maxQueue: number
  /** The instance id (state token policy id), 28 bytes hex. */
  readonly instance: string
  /** The operator's account (receives fees), 28 bytes hex. */
  readonly operator: string
  /** BLAKE2b-256 of the terms of service, 32 bytes hex. */
  readonly terms: string
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
    maxGroup: { type: 'integer', minimum: 1, maximum: 100_000 },
    maxQueue: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    instance: { type: 'string', pattern: '^[0-9a-f]{56}$', description: '28 bytes hex' },
    operator: { type: 'string', pattern: '^[0-9a-f]{56}$', description: '28 bytes hex' },
    terms: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '32 bytes hex' },
  },
  required: ['db', 'instance', 'operator', 'terms'],
  additionalProperties: false,
}

const DEFAULTS = { host: '127.0.0.1', port: 8710, open: false, durability: 'full', verifyWorkers: 2, maxGroup: 4096, maxQueue: 100_000 } as const

const ENV: Record<string, { key: keyof NodeConfig; type: 'string' | 'integer' | 'boolean' }> = {
  LAGOON_DB: { key: 'db', type: 'string' },
  LAGOON_HOST: { key: 'host', type: 'string' },
  LAGOON_PORT: { key: 'port', type: 'integer' },
  LAGOON_OPEN: { key: 'open', type: 'boolean' },
  LAGOON_DURABILITY: { key: 'durability', type: 'string' },
  LAGOON_VERIFY_WORKERS: { key: 'verifyWorkers', type: 'integer' },
  LAGOON_INSTANCE: { key: 'instance', type: 'string' },
  LAGOON_OPERATOR: { key: 'operator', type: 'string' },
  LAGOON_TERMS: { key: 'terms', type: 'string' },
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
  const fromEnv: Record<string, unknown> = {}
  const problems: string[] = []
  for (const [name, { key, type }] of Object.entries(ENV)) {
    const v = env[name]
    if (v === undefined || v === '') continue
    if (type === 'integer') {
      if (!/^[0-9]+$/.test(v)) problems.push(`${name}: must be an integer, got "${v}"`)
      fromEnv[key] = Number(v)
    } else if (type === 'boolean') {
      if (!['true', 'false', '1', '0'].includes(v)) problems.push(`${name}: must be true or false, got "${v}"`)
      fromEnv[key] = v === 'true' || v === '1'
    } else fromEnv[key] = v
  }
  const merged = { ...DEFAULTS, ...fromFile, ...fromEnv }
  problems.push(...validate(NODE_CONFIG_SCHEMA, merged, 'config'))
  if (problems.length > 0) throw new ConfigError(problems)
  return merged as NodeConfig
}
