/** Blockfrost's reason phrases by status. */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
}

/**
 * An HTTP error of the devnet's Blockfrost API; `body()` is Blockfrost's error shape
 * `{ status_code, error, message }`, plus `code` (a ledger rule such as `FEE_TOO_SMALL` when a
 * submission broke one) and `details` when there is more to say.
 *
 * @example
 * throw new BlockfrostHttpError(404, 'The requested component has not been found.')
 */
export class BlockfrostHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { code?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message)
    this.name = 'BlockfrostHttpError'
  }

  /** The JSON body Blockfrost would send. */
  body(): Record<string, unknown> {
    return { status_code: this.status, error: REASONS[this.status] ?? 'Error', message: this.message, ...this.extra }
  }
}

/**
 * Blockfrost's 404 message.
 *
 * @example
 * throw new BlockfrostHttpError(404, NOT_FOUND)
 */
export const NOT_FOUND = 'The requested component has not been found.'
