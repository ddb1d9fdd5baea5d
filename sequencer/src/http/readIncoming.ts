import type { IncomingMessage } from 'node:http'
import { NodeError } from '../errors/NodeError.js'

/**
 * How long a request's body may take to arrive, from the moment the node starts reading it, unless
 * the configuration says otherwise (`bodyTimeoutMs`, docs/operating.md): a 4 MiB `POST /txs` needs
 * about 2.3 Mbit/s to make it.
 */
export const DEFAULT_BODY_TIMEOUT_MS = 15_000

/**
 * Reads a body of at most `max` bytes from the raw Node request (no web `Request`/stream is built);
 * null if it is larger (read no further). A body that is not complete within `timeoutMs` (a client
 * that sends the headers, then drips the body: slowloris) rejects with `NodeError('BODY_TIMEOUT')`;
 * the answer to it closes the connection (`errorHeaders`).
 *
 * @example
 * const body = await readIncoming(req, 8192) // Buffer, or null: BODY_TOO_LARGE
 */
export function readIncoming(incoming: IncomingMessage, max: number, timeoutMs = DEFAULT_BODY_TIMEOUT_MS): Promise<Buffer | null> {
  const declared = incoming.headers['content-length']
  if (declared !== undefined && incoming.headers['transfer-encoding'] === undefined && Number.parseInt(declared, 10) > max) {
    return Promise.resolve(null)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    // One timer a request (not a chunk); a body that is there at once clears it on the same turn.
    const timer = setTimeout(() => {
      done(null, new NodeError('BODY_TIMEOUT', `the request body did not arrive within ${timeoutMs} ms`, { details: { timeoutMs, received: size } }))
    }, timeoutMs)
    const done = (v: Buffer | null, e?: Error): void => {
      clearTimeout(timer)
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('close', onClose)
      if (e) reject(e)
      else resolve(v)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > max) return done(null)
      chunks.push(chunk)
    }
    const onEnd = (): void => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    const onError = (e: Error): void => done(null, e)
    const onClose = (): void => {
      if (!incoming.complete) done(null, new NodeError('BAD_REQUEST', 'the client closed the connection before the body was read'))
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}
