import { LagoonError } from '../core.js'

/** Codes the node itself raises (besides the core's rejection and decode codes). */
export type NodeErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'NO_L1'
  | 'TOO_MANY_CLIENTS'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BODY_TOO_LARGE'
  | 'BODY_TIMEOUT'
  | 'PAUSED'
  | 'QUEUE_FULL'
  | 'SHUTTING_DOWN'
  | 'INTERNAL'

/**
 * An error of the node (request shape, auth, back-pressure, internal); the HTTP layer maps its code.
 *
 * @example
 * throw new NodeError('PAUSED', 'ingress is paused by the operator')
 */
export class NodeError extends LagoonError {
  declare readonly code: NodeErrorCode
  constructor(code: NodeErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options)
  }
}
