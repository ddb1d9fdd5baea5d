import type Database from 'better-sqlite3'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Hono } from 'hono'
import { TokenStore } from '../auth/TokenStore.js'
import { DEFAULT_LIMITS, fromHex, loadBlake2b256, type Blake2b256, type ProtocolParams } from '../core.js'
import type { AppDeps } from '../http/AppDeps.js'
import { createApp } from '../http/createApp.js'
import { fastSubmit } from '../http/fastSubmit.js'
import { StreamHub, type StreamOptions } from '../http/stream/StreamHub.js'
import { Metrics } from '../metrics/Metrics.js'
import { Sequencer } from '../queue/Sequencer.js'
import { VerifyPool } from '../queue/VerifyPool.js'
import { Checkpointer } from '../storage/Checkpointer.js'
import { openDatabase } from '../storage/openDatabase.js'
import { SqliteState } from '../storage/SqliteState.js'
import { TaskLog } from '../storage/TaskLog.js'
import { WalSync } from '../storage/WalSync.js'
import { ConfigError, type NodeConfig } from './NodeConfig.js'
import { openConfiguredChain } from '../l1/openConfiguredChain.js'
import type { L1Chain } from '../l1/L1Chain.js'
import { openL1, type L1Node } from '../l1/L1Node.js'
import { DEFAULT_L1_SETTINGS, type L1Log, type L1Settings } from '../l1/L1Settings.js'
import type { LagoonScripts } from '../l1/sdkL1.js'

/** What a caller may inject (tests): a chain and an instance's scripts, instead of `config.l1`. */
export interface OpenNodeOptions {
  readonly chain?: L1Chain
  readonly scripts?: LagoonScripts
  /** Overrides of the layer-1 settings. */
  readonly l1Settings?: Partial<L1Settings>
  /** Start the layer-1 loop (default true). */
  readonly startL1?: boolean
  readonly out?: L1Log
  /** Bounds and cadence of the SSE streams (tests use small ones). */
  readonly streams?: StreamOptions
}

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
  /** The layer-1 follower and poster, when layer 1 is configured. */
  readonly l1: L1Node | null
  /** The SSE streams (`GET /stream`, `GET /log/stream`); closed with the node. */
  readonly streams: StreamHub
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
export async function openNode(config: NodeConfig, opts: OpenNodeOptions = {}): Promise<LagoonNode> {
  const hash = await loadBlake2b256()
  const chainAndScripts = opts.chain && opts.scripts ? { chain: opts.chain, scripts: opts.scripts } : config.l1 ? await openConfiguredChain(config.l1, opts.out) : null
  // The embedded devnet mints a fresh instance: its policy id is the instance.
  const instance = chainAndScripts?.chain.kind === 'devnet' && !opts.chain ? chainAndScripts.scripts.policyId : config.instance
  if (chainAndScripts && chainAndScripts.scripts.policyId !== instance) {
    throw new ConfigError([`config.instance ${instance} is not the policy id ${chainAndScripts.scripts.policyId} of the instance at config.l1.seed`])
  }
  const params: ProtocolParams = {
    instance: fromHex(instance),
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
  const pool = config.verifyWorkers > 0 ? new VerifyPool(config.verifyWorkers, config.verifyNice !== undefined ? { nice: config.verifyNice } : {}) : null
  const sequencer = new Sequencer(db, state, log, { params, hash }, metrics, {
    verifyPool: pool,
    maxGroup: config.maxGroup,
    maxQueue: config.maxQueue,
    sync: wal && (() => wal.sync()),
  })
  const l1Settings: L1Settings = { ...DEFAULT_L1_SETTINGS, ...definedL1(config), ...opts.l1Settings }
  const l1 = chainAndScripts
    ? openL1({ db, chain: chainAndScripts.chain, scripts: chainAndScripts.scripts, sequencer, log, params, hash, settings: l1Settings, metrics, ...(opts.out ? { out: opts.out } : {}) })
    : null
  if (l1 && opts.startL1 !== false) l1.start()
  const streams = new StreamHub({ sequencer, log, metrics, l1, db }, { ...config.streams, ...opts.streams })
  const deps: AppDeps = { sequencer, log, tokens, metrics, limits: params.limits, open: config.open, l1, params, db, streams, ...(config.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: config.bodyTimeoutMs } : {}) }
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
    l1,
    streams,
    async close() {
      if (closed) return
      closed = true
      streams.close()
      await l1?.stop()
      if (!opts.chain) l1?.chain.close()
      await sequencer.close()
      await pool?.close()
      await checkpointer?.close()
      db.close()
      wal?.close()
    },
  }
}

function definedL1(config: NodeConfig): Partial<L1Settings> {
  const c = config.l1
  if (!c) return {}
  const out: Record<string, unknown> = {}
  for (const k of ['confirmations', 'absorptionMarginMs', 'pollMs', 'batchIntervalMs', 'batchMaxTasks', 'exitsPerTx', 'commitConfirmations', 'maxDepositsPerCommit'] as const) {
    if (c[k] !== undefined) out[k] = c[k]
  }
  if (c.minDepositLovelace !== undefined) out.minDepositLovelace = BigInt(c.minDepositLovelace)
  return out as Partial<L1Settings>
}
