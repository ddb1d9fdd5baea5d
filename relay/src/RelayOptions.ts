import type { AuditDivergence } from '@lagoon/sdk'
import type { InstanceAddresses, L1Reader } from '@lagoon/sdk/audit-l1'

/**
 * A relay's log lines: level, message, fields.
 *
 * @example
 * const log: RelayLog = (level, msg, fields) => console.log(JSON.stringify({ level, msg, ...fields }))
 */
export type RelayLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void

/**
 * What {@link Relay.open} takes.
 *
 * @example
 * await Relay.open({ from: 'http://127.0.0.1:8080', db: 'relay.db', token: process.env.LAGOON_TOKEN })
 */
export interface RelayOptions {
  /** The node to follow, e.g. `http://127.0.0.1:8080`. */
  readonly from: string
  /** The relay's own SQLite file (created if missing; a restart resumes from it). */
  readonly db: string
  /** A `relay`-scope token, for the node's `GET /log/stream` (not needed when the node is open). */
  readonly token?: string
  /**
   * The instance's parameters (hex), when the node does not publish `GET /instance`.
   */
  readonly params?: { readonly instance: string; readonly operator: string; readonly terms: string }
  /**
   * Also check against layer 1 (the node's word is not taken): the node's batches against the
   * commitments on the chain, and every deposit credit and recorded exit payment of the log.
   */
  readonly l1?: { readonly reader: L1Reader; readonly instance: InstanceAddresses }
  /** How often batches are polled, and the log when the node has no stream; default 1000 ms. */
  readonly pollMs?: number
  /** Log entries per page while catching up; default 5000. */
  readonly pageSize?: number
  /** Signature-checking threads; default 2 (0: the main thread). */
  readonly verifyWorkers?: number
  /**
   * Deadline of every read from the node, headers and whole body (a log page, `GET /batches`; the
   * live stream's headers), in ms; default 30,000. Bodies are also bounded in size, stream frames too.
   */
  readonly timeoutMs?: number
  readonly log?: RelayLog
}

/**
 * What `GET /health` says about the relay.
 *
 * @example
 * if (relay.status().status === 'diverged') console.error(relay.status().divergence)
 */
export interface RelayStatus {
  /**
   * `syncing` (the first catch-up), `live` (following, every confirmed batch it knows checked),
   * `behind` (following, but a batch the node calls confirmed is beyond the log it holds: `reason`),
   * `diverged` (stopped: `divergence`), `stopped`.
   */
  readonly status: 'syncing' | 'live' | 'behind' | 'diverged' | 'stopped'
  readonly source: string
  readonly seq: number
  readonly logHead: string
  /** The node's tip when last heard from. */
  readonly sourceSeq: number
  /** The last batch whose root and log head the relay recomputed and found equal. */
  readonly checkedBatch: number
  /** Why the relay is `behind`: the confirmed batch beyond its log, and how far it holds the log. */
  readonly reason?: string
  readonly divergence?: AuditDivergence
}
