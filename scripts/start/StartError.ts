import { LagoonError } from '../../sdk/src/errors/LagoonError.js'

/**
 * Why `npm start` (`startLagoon`) could not start: `PORT_IN_USE` (another process listens there: pass
 * another `--port`), `DB_EXISTS` (`--db` names a file from an earlier run: the embedded devnet is new
 * every start, so its node state would not match), `BAD_OPTION` (a command-line value is invalid).
 *
 * @example
 * try { await startLagoon({ port: 8080 }) } catch (e) { if (e instanceof StartError) console.error(e.code, e.message) }
 */
export class StartError extends LagoonError {
  declare readonly code: 'PORT_IN_USE' | 'DB_EXISTS' | 'BAD_OPTION'

  constructor(code: StartError['code'], message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options)
  }
}
