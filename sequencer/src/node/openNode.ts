import type Database from 'better-sqlite3'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Hono } from 'hono'
import { TokenStore } from '../auth/TokenStore.js'
import { DEFAULT_LIMITS, fromHex, loadBlake2b256, type Blake2b256, type ProtocolParams } from '../core.js'
import type { AppDeps } from '../http/AppDeps.js'
import { createApp } from '../http/createApp.js'
import { fastSubmit } from '../http/fastSubmit.js'
import { Metrics } from '../metrics/Metrics.js'
import { Sequencer } from '../queue/Sequencer.js'
import { VerifyPool } from '../queue/VerifyPool.js'
import { Checkpointer } from '../storage/Checkpointer.js'
import { openDatabase } from '../storage/openDatabase.js'
import { SqliteState } from '../storage/SqliteState.js'
import { TaskLog } from '../storage/TaskLog.js'
import { WalSync } from '../storage/WalSync.js'
import type { NodeConfig } from './NodeConfig.js'

/** A running node's parts (no socket yet: serve `app.fetch` to expose it). */
export interface LagoonNode {
  readonly config: NodeConfig
  readonly params: ProtocolParams
  readonly hash: Blake2b256
  readonly db: Database.Database
  readonly log: TaskLog
  readonly tokens: TokenStore
  readonly metrics: Metrics
  readonly sequencer: Sequencer
  readonly app: Hono
  /** The submit routes on Node's request/response, ahead of `app` (false: not handled, ask `app`). */
  readonly fastSubmit: (req: IncomingMessage, res: ServerResponse) => boolean
  /** The signature-verifying workers, or null. */
  readonly pool: VerifyPool | null
  /** Applies what is queued, snapshots the tree, stops the workers and closes the file. */
  close(): Promise<void>
}

/**
 * Opens the SQLite file (migrating it), restores the state and the tree, and wires the queue, the
 * worker pool and the HTTP app.
 *
 * @example
 * const node = await openNode(loadConfig('lagoon.json'))
 * serve({ fetch: node.app.fetch, port: node.config.port })
 */
export async function openNode(config: NodeConfig): Promise<LagoonNode> {
  const hash = await loadBlake2b256()
  const params: ProtocolParams = {
    instance: fromHex(config.instance),
    operator: fromHex(config.operator),
    terms: fromHex(config.terms),
    limits: DEFAULT_LIMITS,
  }
  // Durable receipts without blocking the event loop on fsync: commits only write the WAL, and the
  // applier fdatasyncs it off-thread before answering (see WalSync, Sequencer's `sync`).
  const onDisk = config.db !== ':memory:' && config.db !== '' && !config.db.startsWith('file:')
  const walSync = config.durability === 'full' && onDisk
  const db = openDatabase(config.db, config.durability, { externalSync: walSync })
  const wal = walSync ? new WalSync(config.db) : null
  // Checkpoints off the applier's thread: the node's connection never checkpoints by itself.
  const checkpointer = onDisk ? new Checkpointer(config.db) : null
  if (checkpointer) db.pragma('wal_autocheckpoint = 0')
  const log = new TaskLog(db)
  const state = SqliteState.load(db, hash, log.tip().seq)
  const tokens = new TokenStore(db)
  const metrics = new Metrics()
  const pool = config.verifyWorkers > 0 ? new VerifyPool(config.verifyWorkers) : null
  const sequencer = new Sequencer(db, state, log, { params, hash }, metrics, {
    verifyPool: pool,
    maxGroup: config.maxGroup,
    maxQueue: config.maxQueue,
    sync: wal && (() => wal.sync()),
  })
  const deps: AppDeps = { sequencer, log, tokens, metrics, limits: params.limits, open: config.open }
  const app = createApp(deps)
  let closed = false
  return {
    config,
    params,
    hash,
    db,
    log,
    tokens,
    metrics,
    sequencer,
    app,
    fastSubmit: fastSubmit(deps),
    pool,
    async close() {
      if (closed) return
      closed = true
      await sequencer.close()
      await pool?.close()
      await checkpointer?.close()
      db.close()
      wal?.close()
    },
  }
}
