import { LagoonError } from '@lagoon/sdk/errors'

/**
 * A command-line failure: what went wrong (`message`) and what to do about it (`hint`), with a stable
 * `code`. `USAGE` errors exit 2, everything else 1.
 *
 * @example
 * throw new CliError('MISSING_OPTION', '--amount is required', 'pass the amount in ADA, e.g. --amount 12.5')
 */
export class CliError extends LagoonError {
  /** What the user should do next, one line. */
  readonly hint: string | undefined

  constructor(code: string, message: string, hint?: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options)
    this.hint = hint
  }
}
