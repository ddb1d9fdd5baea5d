import { LagoonError } from '../errors/LagoonError.js'

/**
 * The node answered with an error: `code` is the server's stable code (e.g. `BAD_NONCE`,
 * `INSUFFICIENT_BALANCE`, `UNAUTHORIZED`), `status` the HTTP status, `details` the server's details.
 * 4xx codes mean "fix the input" (resending the same request never works), except 409 (`BAD_NONCE`,
 * `STALE_AUTHORIZATION`: refetch the state and rebuild); 503 means "retry later".
 *
 * @example
 * try { await client.transfer({ signer, to, amount: 1n }) } catch (e) {
 *   if (e instanceof ApiError && e.code === 'INSUFFICIENT_BALANCE') console.log(e.details?.needed)
 * }
 */
export class ApiError extends LagoonError {
  /** The HTTP status of the response. */
  readonly status: number
  /** The request that failed, as `METHOD /path`. */
  readonly request: string

  constructor(
    code: string,
    message: string,
    options: { status: number; request: string; details?: Record<string, unknown> },
  ) {
    super(code, message, options.details === undefined ? undefined : { details: options.details })
    this.status = options.status
    this.request = options.request
  }

  /** Whether the same request may succeed later unchanged (back-pressure, pause, server error). */
  get retryable(): boolean {
    return this.status === 503 || this.status >= 500
  }
}

/** Codes of {@link NetworkError}. */
export type NetworkErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'ABORTED' | 'BAD_RESPONSE' | 'RESPONSE_TOO_LARGE' | 'BODY_TIMEOUT' | 'SSE_FRAME_TOO_LARGE'

/**
 * The node could not be reached or did not answer in the API's shape: the connection failed
 * (`NETWORK_ERROR`), no answer within the client's deadline (`TIMEOUT`), the caller aborted it
 * (`ABORTED`), or the response was not what the API returns (`BAD_RESPONSE`: a proxy's HTML page,
 * truncated CBOR). A node's answer is untrusted and every read of it is bounded (`readBody`,
 * `readSse`): a body larger than the bound (`RESPONSE_TOO_LARGE`, checked while it streams in), a body
 * not complete by the deadline (`BODY_TIMEOUT`: the headers came, the body drips), a Server-Sent
 * Events frame larger than its bound (`SSE_FRAME_TOO_LARGE`). The read stops there and the connection
 * is closed. The request may or may not have reached the node: check with `getReceipt` before
 * resubmitting a transaction (resubmitting the same signed bytes is safe: the node answers with the
 * original receipt).
 *
 * @example
 * try { await client.getState() } catch (e) {
 *   if (e instanceof NetworkError) console.log('node unreachable:', e.code, e.cause)
 * }
 */
export class NetworkError extends LagoonError {
  declare readonly code: NetworkErrorCode
  readonly request: string
  constructor(code: NetworkErrorCode, message: string, options: { request: string; cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, { cause: options.cause, ...(options.details ? { details: options.details } : {}) })
    this.request = options.request
  }

  /**
   * Whether sending the same request again at once may help: not when the answer broke a bound (no
   * honest node sends a body past its size bound, and a node that could not deliver a body within the
   * whole deadline is not helped by waiting that long again: the caller decides when to come back).
   */
  get retryable(): boolean {
    return this.code === 'NETWORK_ERROR' || this.code === 'TIMEOUT' || this.code === 'BAD_RESPONSE'
  }
}

/** Codes of {@link ClientError}. */
export type ClientErrorCode = 'MISSING_CONFIG' | 'INVALID_ARGUMENT' | 'SIGNER_FAILED' | 'WAIT_TIMEOUT'

/**
 * The client refused to send a request, or gave up waiting: a missing configuration value
 * (`MISSING_CONFIG`: e.g. no `instance` to build transactions for), a bad argument
 * (`INVALID_ARGUMENT`), a wallet that refused or failed to sign (`SIGNER_FAILED`), or
 * `waitForReceipt` ran out of time (`WAIT_TIMEOUT`).
 *
 * @example
 * try { await client.transfer(...) } catch (e) {
 *   if (e instanceof ClientError && e.code === 'MISSING_CONFIG') console.log(e.message)
 * }
 */
export class ClientError extends LagoonError {
  declare readonly code: ClientErrorCode
  constructor(code: ClientErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options)
  }
}
