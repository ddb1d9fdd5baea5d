import type { Blake2b256 } from '../core/crypto/blake2b256.js'
import type { Limits } from '../core/limits.js'

/** An account as the node reports it; amounts are lovelace as `bigint`. */
export interface Account {
  /** The account id (layer-1 payment key hash), hex. */
  readonly id: string
  /** Its leaf index in the state tree. */
  readonly index: number
  /** The authorized layer-2 key, hex; absent before registration (an account created by a deposit). */
  readonly l2Key?: string
  readonly keyEpoch: number
  readonly balance: bigint
  readonly pendingExit: bigint
  /** The nonce the account's next transaction must carry. */
  readonly nonce: number
  readonly recordCount: number
}

/** One record of an account's namespace. */
export interface RecordEntry {
  readonly key: Uint8Array
  readonly value: Uint8Array
}

/** Where an applied task sits in the log: its id, sequence number and the log head after it. */
export interface Receipt {
  /** The tx id (hex); for a registration, the id the node gives the key task. */
  readonly txId: string
  readonly seq: number
  /** The log head after this task, hex. */
  readonly logHead: string
}

/** The node's tip. */
export interface NodeState {
  readonly seq: number
  readonly logHead: string
  readonly root: string
  readonly accounts: number
}

/** One entry of the task log as served by `GET /log`. */
export interface LogEntryBytes {
  readonly seq: number
  readonly bytes: Uint8Array
  readonly head: Uint8Array
}

/** One page of the task log. */
export interface LogPage {
  readonly entries: readonly LogEntryBytes[]
  /** Where the next page starts (`lagoon-next-from`). */
  readonly nextFrom: number
  /** The node's last seq when it served the page (`lagoon-log-seq`). */
  readonly tipSeq: number
}

/** A `fetch` as the client uses it (the global one by default). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/** What `createLagoonClient` takes. */
export interface LagoonClientConfig {
  /** The node's base URL, e.g. `http://127.0.0.1:8080` (a trailing slash is ignored). */
  readonly url: string
  /** A bearer token (scope `wallet` to submit; reads are public). */
  readonly token?: string
  /** A custom `fetch` (tests, proxies, retries); default: the global `fetch`. */
  readonly fetch?: FetchLike
  /** The instance id (28 bytes, hex or bytes): needed to build transactions and key authorizations. */
  readonly instance?: Uint8Array | string
  /** BLAKE2b-256 of the terms of service the instance requires (32 bytes, hex or bytes): needed to register. */
  readonly terms?: Uint8Array | string
  /** The hash used to compute tx ids; default: the pure-JavaScript BLAKE2b (no initialisation). */
  readonly hash?: Blake2b256
  /** The protocol limits transactions are checked against before sending; default `DEFAULT_LIMITS`. */
  readonly limits?: Limits
  /**
   * Per-request deadline in milliseconds, for the answer's headers and its whole body (a stream's for
   * its headers only); past it `NetworkError` `TIMEOUT` (no headers) or `BODY_TIMEOUT`. Default 30,000.
   */
  readonly timeoutMs?: number
  /** Most bytes of a response body read (`RESPONSE_TOO_LARGE` past it); log pages have their own bound. Default 16 MiB. */
  readonly maxResponseBytes?: number
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>
}

/** Options every action accepts. */
export interface RequestOptions {
  readonly signal?: AbortSignal
}
