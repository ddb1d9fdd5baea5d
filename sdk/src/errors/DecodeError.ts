import { LagoonError } from './LagoonError.js'

/** Codes a decoder of untrusted bytes can return. */
export type DecodeErrorCode = 'TOO_LARGE' | 'MALFORMED_CBOR' | 'NON_CANONICAL' | 'BAD_SHAPE' | 'LIMIT_EXCEEDED'

/**
 * Raised (or returned) when untrusted bytes are not a valid encoding of the expected structure.
 * Decoders never throw anything else.
 *
 * @example
 * const r = tryDecodeSignedTx(bytes)
 * if (!r.ok) console.log(r.error.code) // 'NON_CANONICAL'
 */
export class DecodeError extends LagoonError {
  declare readonly code: DecodeErrorCode
  constructor(code: DecodeErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options)
  }
}
