import type { TokenStore } from '../auth/TokenStore.js'
import type Database from 'better-sqlite3'
import type { Limits, ProtocolParams } from '../core.js'
import type { Metrics } from '../metrics/Metrics.js'
import type { Sequencer } from '../queue/Sequencer.js'
import type { TaskLog } from '../storage/TaskLog.js'
import type { L1Node } from '../l1/L1Node.js'
import type { StreamHub, StreamOptions } from './stream/StreamHub.js'

/**
 * What the HTTP app needs from the node.
 *
 * @example
 * const app = createApp({ sequencer, log, tokens, metrics, limits: DEFAULT_LIMITS, open: false })
 */
export interface AppDeps {
  readonly sequencer: Sequencer
  readonly log: TaskLog
  readonly tokens: TokenStore
  readonly metrics: Metrics
  readonly limits: Limits
  /** Accept submissions without a wallet token. */
  readonly open: boolean
  /** Largest `POST /txs` body; default 4 MiB. */
  readonly maxBatchBytes?: number
  /** Most transactions in one `POST /txs`; default 4096. */
  readonly maxBatchTxs?: number
  /** How long a request body may take to arrive (BODY_TIMEOUT, 408); default `DEFAULT_BODY_TIMEOUT_MS`. */
  readonly bodyTimeoutMs?: number
  /** The layer-1 follower and poster (batches and proofs), when configured. */
  readonly l1?: L1Node | null
  /** The protocol parameters (`GET /instance` shows the terms and the operator account). */
  readonly params?: ProtocolParams
  /** The node's database, for reads beyond the state (withdrawal history, deposit rows of the streams). */
  readonly db?: Database.Database
  /** The live streams; `createApp` makes one (with `streamOptions`) when absent. */
  readonly streams?: StreamHub
  readonly streamOptions?: StreamOptions
}
