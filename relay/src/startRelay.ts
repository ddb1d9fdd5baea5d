import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { createRelayApp } from './createRelayApp.js'
import { Relay } from './Relay.js'
import type { RelayOptions } from './RelayOptions.js'

/**
 * What {@link startRelay} takes: the relay's options, and where to listen.
 *
 * @example
 * startRelay({ from: 'http://127.0.0.1:8080', db: 'relay.db', host: '0.0.0.0', port: 8090 })
 */
export interface StartRelayOptions extends RelayOptions {
  /** Default 127.0.0.1. */
  readonly host?: string
  /** Default 8090; 0 picks a free port. */
  readonly port?: number
}

/**
 * A relay following its node and serving the read API.
 *
 * @example
 * const { url, relay, stop } = await startRelay(options)
 */
export interface RunningRelay {
  readonly url: string
  readonly relay: Relay
  readonly server: ServerType
  /** Stops listening and following, snapshots the tree and closes the file. */
  stop(): Promise<void>
}

/**
 * Opens a relay on its SQLite file, starts following the node and serves the read API on a socket.
 *
 * @example
 * const { url, stop } = await startRelay({ from: 'http://127.0.0.1:8080', db: 'relay.db', port: 8090 })
 * const client = createLagoonClient({ url }) // reads from the relay
 * await stop()
 */
export async function startRelay(options: StartRelayOptions): Promise<RunningRelay> {
  const relay = await Relay.open(options)
  const app = createRelayApp(relay)
  const host = options.host ?? '127.0.0.1'
  const server = await new Promise<{ server: ServerType; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8090 }, (info: AddressInfo) => resolve({ server: s, port: info.port }))
  })
  relay.start()
  let stopped = false
  return {
    url: `http://${host}:${server.port}`,
    relay,
    server: server.server,
    async stop() {
      if (stopped) return
      stopped = true
      await new Promise<void>((done) => {
        server.server.close(() => done())
        ;(server.server as { closeAllConnections?: () => void }).closeAllConnections?.()
      })
      await relay.close()
    },
  }
}
