import type { IncomingMessage } from 'node:http'

/**
 * Reads a body of at most `max` bytes from the raw Node request (no web `Request`/stream is built);
 * null if it is larger (read no further).
 *
 * @example
 * const body = await readIncoming(req, 8192) // Buffer, or null: BODY_TOO_LARGE
 */
export function readIncoming(incoming: IncomingMessage, max: number): Promise<Buffer | null> {
  const declared = incoming.headers['content-length']
  if (declared !== undefined && incoming.headers['transfer-encoding'] === undefined && Number.parseInt(declared, 10) > max) {
    return Promise.resolve(null)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (v: Buffer | null, e?: Error): void => {
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
      if (!incoming.complete) done(null, new Error('the client closed the connection before the body was read'))
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}

