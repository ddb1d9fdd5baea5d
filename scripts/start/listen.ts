import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { StartError } from './StartError.js'

function listenOnce(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(e)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

/**
 * Listens on `host:port`; when the port is busy and `tries` > 1, on the next ports up to
 * `port + tries − 1`. Rejects with `StartError('PORT_IN_USE')` naming the port(s) and the option to change.
 *
 * @example
 * const port = await listen(server, '127.0.0.1', 8080, { tries: 10, option: '--port' })
 */
export async function listen(server: Server, host: string, port: number, opts: { tries?: number; option: string; what: string }): Promise<number> {
  const tries = port === 0 ? 1 : (opts.tries ?? 1)
  for (let i = 0; i < tries; i++) {
    try {
      return await listenOnce(server, host, port + i)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
    }
  }
  const range = tries > 1 ? `ports ${port}–${port + tries - 1} are` : `port ${port} is`
  throw new StartError('PORT_IN_USE', `${opts.what}: ${range} in use on ${host}; stop the other process or pass ${opts.option} <port> (0 picks a free one)`, {
    details: { host, port, tries },
  })
}
