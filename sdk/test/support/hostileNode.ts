import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { toHex } from '../../src/core/bytes.js'
import { INSTANCE, OPERATOR, TERMS } from './world.js'

/** What a hostile route did on one request: bytes it wrote and when the client hung up. */
export interface HostileRequest {
  readonly path: string
  bytesSent: number
  /** ms from the request to the client closing the connection (undefined while open). */
  closedAfterMs: number | undefined
}

/** A route of the hostile node: answers `req` on `res`, counting what it writes in `r`. */
export type HostileHandler = (req: IncomingMessage, res: ServerResponse, r: HostileRequest) => void

/** A node that answers in the API's shape but breaks every reading bound it is told to: a real HTTP server. */
export interface HostileNode {
  readonly url: string
  readonly requests: HostileRequest[]
  /** The requests to paths starting with `prefix`. */
  to(prefix: string): HostileRequest[]
  close(): Promise<void>
}

/** `GET /instance` of the test world's parameters (world.ts). */
export const INSTANCE_JSON = { instance: toHex(INSTANCE), operatorAccount: toHex(OPERATOR.account), terms: toHex(TERMS) }

/** An honest JSON answer. */
export const json =
  (value: unknown): HostileHandler =>
  (_req, res, r) => {
    const body = JSON.stringify(value)
    r.bytesSent += body.length
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body)
  }

/** An honest empty page of the log (tip 0). */
export const emptyLog: HostileHandler = (_req, res, r) => {
  r.bytesSent += 1
  res.writeHead(200, { 'content-type': 'application/cbor', 'lagoon-next-from': '1', 'lagoon-log-seq': '0' }).end(Buffer.from([0x80]))
}

/** `prefix`, then `chunk` again and again, as fast as the client reads, until it hangs up (no length: chunked). */
export const endless =
  (type: string, chunk: Uint8Array | string, prefix: Uint8Array | string = '', headers: Record<string, string> = {}): HostileHandler =>
  (_req, res, r) => {
    res.writeHead(200, { 'content-type': type, ...headers })
    const piece = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)
    r.bytesSent += Buffer.byteLength(prefix)
    res.write(prefix)
    const pump = (): void => {
      while (!res.destroyed && !res.writableEnded) {
        r.bytesSent += piece.length
        if (!res.write(piece)) return void res.once('drain', pump)
      }
    }
    pump()
  }

/** `prefix`, then one byte of `drip` every `everyMs`, for ever (until the client hangs up). */
export const dripping =
  (type: string, prefix: Uint8Array | string, everyMs: number, headers: Record<string, string> = {}): HostileHandler =>
  (_req, res, r) => {
    res.writeHead(200, { 'content-type': type, ...headers })
    r.bytesSent += Buffer.byteLength(prefix)
    res.write(prefix)
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer)
      r.bytesSent += 1
      res.write(Buffer.from([0x41]))
    }, everyMs)
    res.on('close', () => clearInterval(timer))
  }

/**
 * Starts a hostile node on 127.0.0.1 (port 0) with `routes` by path (the query is ignored); other
 * paths answer 404 in the API's shape.
 *
 * @example
 * const h = await startHostileNode({ '/instance': json(INSTANCE_JSON), '/log': endless('application/cbor', new Uint8Array(65536), Uint8Array.of(0x9f)) })
 */
export async function startHostileNode(routes: Record<string, HostileHandler>): Promise<HostileNode> {
  const requests: HostileRequest[] = []
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const r: HostileRequest = { path: req.url ?? '/', bytesSent: 0, closedAfterMs: undefined }
    requests.push(r)
    const started = Date.now()
    res.on('close', () => (r.closedAfterMs = Date.now() - started))
    const handler = routes[path]
    if (handler) handler(req, res, r)
    else res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND', message: `no route ${path}` }))
  })
  await new Promise<void>((d) => server.listen(0, '127.0.0.1', d))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    to: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    close: () => new Promise<void>((d) => (server.closeAllConnections(), server.close(() => d()))),
  }
}
