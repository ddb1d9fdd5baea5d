/**
 * The base of every error Lagoon throws or returns: a stable machine-readable `code`, a message that
 * says what to fix, and optional structured `details`. Domains subclass it; the HTTP layer maps codes
 * to statuses in one place.
 *
 * @example
 * try { decodeSignedTx(bytes) } catch (e) {
 *   if (e instanceof LagoonError) console.log(e.code) // 'MALFORMED_CBOR'
 * }
 */
export class LagoonError extends Error {
  /** A stable identifier, SCREAMING_SNAKE_CASE; never changes once published. */
  readonly code: string
  /** Structured context for logs and API responses (must be JSON-serialisable). */
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(code: string, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.details = options?.details
  }

  /** A plain object for JSON responses and logs. */
  toJSON(): { code: string; message: string; details?: Readonly<Record<string, unknown>> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}
