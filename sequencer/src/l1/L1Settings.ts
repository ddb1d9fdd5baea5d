/** How the follower and the poster behave (NodeConfig `l1`, with defaults filled in). */
export interface L1Settings {
  /** Confirmations before a deposit is credited or an anchor spend by a Withdraw is recorded (k). Default 5. */
  readonly confirmations: number
  /**
   * ms: the longest the node may take to absorb a credited deposit (batch interval + layer-1
   * confirmation time + room for retries). A deposit is credited only if its refund time is later than
   * now + this. Default 2 hours.
   */
  readonly absorptionMarginMs: number
  /** Smallest deposit credited (lovelace); smaller ones stay refundable. Default 1,000,000. */
  readonly minDepositLovelace: bigint
  /** ms between polls of layer 1 (follower, then poster). Default 2,000. */
  readonly pollMs: number
  /** A batch is posted at least this often (ms) when there are new tasks. Default 60,000. */
  readonly batchIntervalMs: number
  /** … or as soon as this many tasks wait. Default 10,000. */
  readonly batchMaxTasks: number
  /** Exits per Withdraw tx (≤ 20 fit in 16 KB at 10^6 accounts; docs/onchain.md). Default 10. */
  readonly exitsPerTx: number
  /** Confirmations of the poster's own commit before it is marked confirmed. Default 1. */
  readonly commitConfirmations: number
  /**
   * Most deposits one commit absorbs, so most credited and not yet absorbed at a time (the follower
   * credits no more; the rest wait). At most {@link MAX_DEPOSITS_PER_COMMIT}. Default 100.
   */
  readonly maxDepositsPerCommit: number
}

/**
 * The most deposits one commit can absorb with some room to spare: measured, release scripts read from
 * reference UTxOs, at 150 deposits a commit uses ≈ 10.1M of the 14M mem a tx may (docs/onchain.md,
 * "Deposits per commit"). Cost grows linearly with the count.
 */
export const MAX_DEPOSITS_PER_COMMIT = 150

export const DEFAULT_L1_SETTINGS: L1Settings = {
  confirmations: 5,
  absorptionMarginMs: 2 * 3600_000,
  minDepositLovelace: 1_000_000n,
  pollMs: 2000,
  batchIntervalMs: 60_000,
  batchMaxTasks: 10_000,
  exitsPerTx: 10,
  commitConfirmations: 1,
  maxDepositsPerCommit: 100,
}

/** One JSON log line per event (the node's log format). */
export type L1Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void

/** Writes JSON lines to stdout / stderr. */
export const jsonLog: L1Log = (level, msg, fields = {}) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  if (level === 'info') console.log(line)
  else console.error(line)
}

/** `txHash#index`. */
export const outRefKey = (r: { txHash: string; outputIndex: number }): string => `${r.txHash}#${r.outputIndex}`
