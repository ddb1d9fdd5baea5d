/** The largest amount anywhere in the protocol: 45,000,000,000 ADA (all ADA that can ever exist), in lovelace. */
export const MAX_LOVELACE = 45_000_000_000_000_000n

/** The bounds every transaction and account is held to. Part of the instance's parameters. */
export interface Limits {
  /** Largest encoded signed transaction, in bytes; checked before decoding. */
  readonly maxTxBytes: number
  /** Most actions in one transaction. */
  readonly maxActions: number
  /** Longest record key, in bytes (keys are at least 1 byte). */
  readonly maxKeyBytes: number
  /** Longest record value, in bytes. */
  readonly maxValueBytes: number
  /** Most records one account may hold. */
  readonly maxRecords: number
  /** Smallest withdrawal: an exit is paid as a layer-1 output, which must clear min-UTxO. */
  readonly minWithdrawal: bigint
}

/**
 * The limits Lagoon uses unless an instance says otherwise (see docs/protocol.md, "Limits").
 *
 * @example
 * DEFAULT_LIMITS.maxActions // 16
 */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxTxBytes: 8192,
  maxActions: 16,
  maxKeyBytes: 64,
  maxValueBytes: 1024,
  maxRecords: 256,
  minWithdrawal: 1_000_000n,
})
