import { LagoonError } from '../../errors/LagoonError.js'

/** Why `apply` refused a task. Stable codes (docs/protocol.md, "Tasks and the state transition"). */
export type RejectionCode =
  | 'WRONG_INSTANCE'
  | 'UNKNOWN_ACCOUNT'
  | 'NO_KEY'
  | 'BAD_SIGNATURE'
  | 'BAD_NONCE'
  | 'UNKNOWN_RECIPIENT'
  | 'INSUFFICIENT_BALANCE'
  | 'LIMIT_EXCEEDED'
  | 'NO_SUCH_RECORD'
  | 'BAD_AUTHORIZATION'
  | 'WRONG_TERMS'
  | 'STALE_AUTHORIZATION'
  | 'ALREADY_REGISTERED'
  | 'DUPLICATE_DEPOSIT'
  | 'EXIT_EXCEEDS_PENDING'

/** A refused task, as data: `apply` returns it rather than throwing. */
export interface Rejection {
  readonly code: RejectionCode
  readonly message: string
  readonly details?: Record<string, unknown>
}

/**
 * A rejection as an error, for callers that throw (the HTTP layer maps `code` to a status).
 *
 * @example
 * const r = apply(view, task, ctx)
 * if (!r.ok) throw new TaskRejectedError(r.rejection)
 */
export class TaskRejectedError extends LagoonError {
  declare readonly code: RejectionCode
  constructor(rejection: Rejection) {
    super(rejection.code, rejection.message, rejection.details === undefined ? undefined : { details: rejection.details })
  }
}
