import { createServer, type IncomingMessage, type RequestListener, type ServerOptions, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
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
