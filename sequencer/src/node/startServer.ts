import { createServer, type IncomingMessage, type RequestListener, type ServerOptions, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import type { LagoonNode } from './openNode.js'

/** A node listening on a socket. */
export interface RunningServer {
  readonly url: string
  readonly server: ServerType
  /** Stops listening, then closes the node (applies the queue, snapshots the tree). */
  stop(): Promise<void>
}

/**
 * Serves a node's app with `@hono/node-server` on `host:port` (port 0 picks a free one); the submit
 * routes take the node's fast path (`fastSubmit`) ahead of Hono.
 *
 * @example
 * const { url, stop } = await startServer(node, '127.0.0.1', 0)
 * await fetch(`${url}/health`)
 */
export function startServer(node: LagoonNode, host = node.config.host, port = node.config.port): Promise<RunningServer> {
  return new Promise((resolve) => {
    const withFastPath = ((options: ServerOptions, hono: RequestListener) =>
      createServer(options, (req: IncomingMessage, res: ServerResponse) => {
        if (!node.fastSubmit(req, res)) hono(req, res)
      })) as typeof createServer
    const server = serve({ fetch: node.app.fetch, hostname: host, port, createServer: withFastPath }, (info: AddressInfo) => {
      server.on('clientError', answerClientError)
      const stop = async () => {
        await new Promise<void>((done) => {
          server.close(() => done())
          ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
        })
        await node.close()
      }
      resolve({ url: `http://${host}:${info.port}`, server, stop })
    })
  })
}

/**
 * Node's HTTP parser refuses malformed requests (bad request lines, header blocks past 16 KB) before
 * the app sees them; answer those in the API's error shape too, with a stable code, and close.
 *
 * @example
 * server.on('clientError', answerClientError)
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW'
  const body = JSON.stringify(
    tooLarge
      ? { code: 'HEADERS_TOO_LARGE', message: 'the request line and headers must fit in 16 KB' }
      : { code: 'MALFORMED_HTTP', message: 'the request is not valid HTTP/1.1' },
  )
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
}
