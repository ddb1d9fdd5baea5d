import { LagoonError, type DecodeErrorCode, type RejectionCode } from '../core.js'
import type { NodeErrorCode } from '../errors/NodeError.js'

/**
 * THE map from every error code the API can return to its HTTP status: the core's rejection codes,
 * the decoders' codes and the node's own. Typed as a total record, so a new code does not compile
 * until it has a status here.
 *
 * - 400: the input is wrong in itself (bytes, shape, signature, instance): resending it never works.
 * - 401 / 403: the token is missing or revoked / has the wrong scope.
 * - 404 / 415 / 413: unknown resource, wrong content type, body too large.
 * - 408: the body did not arrive in time (the connection is closed: `errorHeaders`).
 * - 409: the input conflicts with the current state in a way that ordering explains (nonce, epoch, already done).
 * - 422: well-formed, but the state does not allow it (unknown account, balance, records).
 * - 503: back-pressure or pause: retry later.
 *
 * @example
 * ERROR_STATUS.BAD_NONCE // 409
 */
export const ERROR_STATUS: Readonly<Record<RejectionCode | DecodeErrorCode | NodeErrorCode, number>> = {
  // decoders
  TOO_LARGE: 413,
  MALFORMED_CBOR: 400,
  NON_CANONICAL: 400,
  BAD_SHAPE: 400,
  LIMIT_EXCEEDED: 400,
  // the core's rejections
  WRONG_INSTANCE: 400,
  BAD_SIGNATURE: 400,
  BAD_AUTHORIZATION: 400,
  WRONG_TERMS: 400,
  BAD_NONCE: 409,
  STALE_AUTHORIZATION: 409,
  ALREADY_REGISTERED: 409,
  DUPLICATE_DEPOSIT: 409,
  UNKNOWN_ACCOUNT: 422,
  NO_KEY: 422,
  UNKNOWN_RECIPIENT: 422,
  INSUFFICIENT_BALANCE: 422,
  NO_SUCH_RECORD: 422,
  EXIT_EXCEEDS_PENDING: 422,
  // the node
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NO_L1: 404,
  TOO_MANY_CLIENTS: 503,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  BODY_TIMEOUT: 408,
  PAUSED: 503,
  QUEUE_FULL: 503,
  SHUTTING_DOWN: 503,
  INTERNAL: 500,
}

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly code: string
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>>
}

/**
 * Any thrown value as an HTTP status and `{code, message, details?}`. Unknown errors are 500
 * INTERNAL with a generic message (the cause is for the logs, not the client).
 *
 * @example
 * const { status, body } = errorResponse(e)
 * return c.json(body, status)
 */
export function errorResponse(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof LagoonError) {
    const status = (ERROR_STATUS as Record<string, number>)[e.code] ?? 500
    return { status, body: e.toJSON() }
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } }
}

/**
 * The headers an error answer carries besides its body: `www-authenticate` on a 401, and
 * `connection: close` when the request's body was not read to its end (BODY_TIMEOUT: the client is
 * still sending it, so the connection cannot serve another request).
 *
 * @example
 * res.writeHead(status, { 'content-type': 'application/json', ...errorHeaders(status, body.code) })
 */
export function errorHeaders(status: number, code: string): Record<string, string> | undefined {
  if (status === 401) return { 'www-authenticate': 'Bearer' }
  if (code === 'BODY_TIMEOUT') return { connection: 'close' }
  return undefined
}
