import { LagoonError } from '../../../sdk/src/errors/LagoonError.js'

/** An error as the page shows it: a stable code and a sentence. */
export interface ShownError {
  readonly code: string
  readonly message: string
}

/**
 * Turns anything thrown (a node's `ApiError`, a `NetworkError`, a wallet's CIP-30 error, Lucid's
 * errors) into a code and a message for the page.
 *
 * @example
 * catch (e) { const { code, message } = describeError(e); status.textContent = `${code}: ${message}` }
 */
export function describeError(e: unknown): ShownError {
  if (e instanceof LagoonError) return { code: e.code, message: e.message }
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; info?: unknown; message?: unknown; name?: unknown; cause?: unknown }
    // CIP-30 wallet errors: { code: number, info: string }
    if (typeof o.info === 'string') return { code: typeof o.code === 'number' || typeof o.code === 'string' ? `WALLET_${o.code}` : 'WALLET_ERROR', message: o.info }
    if (typeof o.message === 'string') {
      const code = typeof o.code === 'string' && /^[A-Z_]+$/.test(o.code) ? o.code : typeof o.name === 'string' && o.name !== 'Error' ? o.name : 'ERROR'
      return { code, message: o.message.length > 600 ? o.message.slice(0, 600) + '…' : o.message }
    }
  }
  return { code: 'ERROR', message: String(e) }
}
