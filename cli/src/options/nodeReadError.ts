import { NetworkError } from '@lagoon/sdk'
import { CliError } from '../CliError.js'

/** What to do about an answer of the node that broke a reading bound, by code. */
const HINTS: Readonly<Record<string, string>> = {
  RESPONSE_TOO_LARGE: 'no honest node sends an answer that large: the node is broken or hostile; use another node or relay of the instance',
  SSE_FRAME_TOO_LARGE: 'no honest node sends an event that large: the node is broken or hostile; use another node or relay of the instance',
  BODY_TIMEOUT: 'the node sent the headers but not the whole body in time: retry (a larger --timeout on a slow link); a node that drips its answers is broken or hostile',
}

/**
 * The CLI's form of a failed read from the node: an answer that broke a bound (`RESPONSE_TOO_LARGE`,
 * `BODY_TIMEOUT`, `SSE_FRAME_TOO_LARGE`) becomes a `CliError` with the same code (exit 1) and a hint;
 * anything else is returned as is. `message` replaces the read's own (which is kept as the cause);
 * `then` is appended to the hint (e.g. how to resume).
 *
 * @example
 * try { await client.getLogPage() } catch (e) { throw nodeReadError(e, node) }
 */
export function nodeReadError(e: unknown, node: string, opts: { message?: string; then?: string } = {}): unknown {
  if (!(e instanceof NetworkError) || HINTS[e.code] === undefined) return e
  const hint = opts.then ? `${HINTS[e.code]}; ${opts.then}` : HINTS[e.code]
  return new CliError(e.code, `the node at ${node}: ${opts.message ?? e.message}`, hint, { cause: e, ...(e.details ? { details: { ...e.details } } : {}) })
}
