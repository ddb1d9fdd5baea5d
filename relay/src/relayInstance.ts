import type Database from 'better-sqlite3'
import { DEFAULT_LIMITS, fromHex, LagoonError, type ApplyContext, type BaseClient, type Blake2b256 } from '@lagoon/sdk'
import { createNodeEd25519Verify } from '@lagoon/sdk/node'
import { nodeInstanceInfo } from './nodeInstanceInfo.js'
import type { RelayOptions } from './RelayOptions.js'

/**
 * The instance a relay's file follows: stored in the file on first start (from `options.params`, or the
 * node's `GET /instance`, read through `node`, the relay's bounded client: `nodeInstanceInfo`), so a
 * restart needs the node only to follow it. Refuses a file that follows another node
 * (`RELAY_SOURCE_MISMATCH`).
 *
 * @example
 * const info = await relayInstance(db, options, 'http://127.0.0.1:8080', createLagoonClient({ url: 'http://127.0.0.1:8080' }))
 */
export async function relayInstance(db: Database.Database, options: RelayOptions, source: string, node: BaseClient): Promise<Record<string, unknown>> {
  const meta = (k: string) => db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck().get(k)
  const setMeta = (k: string, v: string) => db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(k, v)
  const known = meta('relay.source')
  if (known && known !== source) throw new LagoonError('RELAY_SOURCE_MISMATCH', `${options.db} follows ${known}, not ${source}: use another file`)
  const stored = meta('relay.instance')
  if (stored) return JSON.parse(stored) as Record<string, unknown>
  let info: Record<string, unknown>
  if (options.params) info = { instance: options.params.instance, operatorAccount: options.params.operator, terms: options.params.terms }
  else info = await nodeInstanceInfo(node)
  setMeta('relay.source', source)
  setMeta('relay.instance', JSON.stringify(info))
  return info
}

/**
 * The apply context of a relay's replay, from the instance it follows (hex fields `instance`,
 * `operatorAccount`, `terms`): `NO_INSTANCE` when one is missing.
 *
 * @example
 * const ctx = relayContext(info, await loadBlake2b256())
 */
export function relayContext(info: Record<string, unknown>, hash: Blake2b256): ApplyContext {
  const hex = (v: unknown, what: string) => {
    if (typeof v !== 'string' || !/^([0-9a-f]{2})+$/i.test(v)) throw new LagoonError('NO_INSTANCE', `the instance's ${what} is missing`)
    return fromHex(v)
  }
  return {
    params: { instance: hex(info.instance, 'id'), operator: hex(info.operatorAccount, 'operator account'), terms: hex(info.terms, 'terms'), limits: DEFAULT_LIMITS },
    hash,
    verifyEd25519: createNodeEd25519Verify(),
  }
}
