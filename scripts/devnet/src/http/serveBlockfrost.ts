import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { StrictEmulator } from '../StrictEmulator.js'
import { BlockfrostHttpError, NOT_FOUND } from './BlockfrostHttpError.js'
import { blockfrostRoutes, type BlockfrostRoute } from './blockfrostRoutes.js'

/** Options of {@link serveBlockfrost}. */
export interface ServeBlockfrostOptions {
  /** Default 127.0.0.1. */
  readonly host?: string
  /** Default 0 (a free port). */
  readonly port?: number
  /** When set, requests must carry this `project_id` header (else 403, as Blockfrost); default: any. */
  readonly projectId?: string
  /** Largest request body in bytes (submit, evaluate); default 1 MiB. */
  readonly maxBodyBytes?: number
}

/** A running devnet Blockfrost API. */
export interface BlockfrostServer {
  /** Base URL, e.g. `http://127.0.0.1:8081`: pass it to `new Blockfrost(url, projectId)`. */
  readonly url: string
  readonly port: number
  /** Stops listening and drops open connections. */
  close(): Promise<void>
}

interface CompiledRoute {
  readonly route: BlockfrostRoute
  readonly segments: readonly string[]
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, project_id, lucid',
  'access-control-max-age': '600',
}

function match(r: CompiledRoute, parts: string[]): Record<string, string> | null {
  if (r.segments.length !== parts.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < parts.length; i++) {
    const s = r.segments[i]!
    if (s.startsWith(':')) params[s.slice(1)] = decodeURIComponent(parts[i]!)
    else if (s !== parts[i]) return null
  }
  return params
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        reject(new BlockfrostHttpError(413, `The body is larger than ${max} bytes.`))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))

/**
 * Serves the strict devnet through the Blockfrost API subset that Lucid Evolution's `Blockfrost`
 * provider uses, so a CLI, an SDK in another process or a browser reaches the devnet the way it
 * reaches Blockfrost or a local Yaci DevKit: `new Blockfrost(url, 'devnet')`. Submissions go through
 * the strict devnet's ledger rules; a refusal is a 400 whose message starts with the rule's code
 * (`FEE_TOO_SMALL: …`, also in the body's `code`). Errors have Blockfrost's shape
 * `{ status_code, error, message }`. CORS is open (the web page calls it from another origin).
 *
 * @example
 * const api = await serveBlockfrost(devnet, { port: 0 })
 * const lucid = await Lucid(new Blockfrost(api.url, 'devnet'), 'Custom')
 * await api.close()
 */
export function serveBlockfrost(devnet: StrictEmulator, options: ServeBlockfrostOptions = {}): Promise<BlockfrostServer> {
  const host = options.host ?? '127.0.0.1'
  const max = options.maxBodyBytes ?? 1 << 20
  const routes: CompiledRoute[] = blockfrostRoutes(devnet).map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }))

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = json(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...CORS })
    res.end(text)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://devnet')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS)
      res.end()
      return
    }
    // Blockfrost base URLs end in /api/v0; accept both that and the bare root.
    const path = url.pathname.replace(/^\/api\/v0(?=\/|$)/, '')
    const parts = path.split('/').filter(Boolean)
    const candidates = routes.map((r) => ({ r, params: match(r, parts) })).filter((c) => c.params !== null)
    if (candidates.length === 0) throw new BlockfrostHttpError(404, NOT_FOUND)
    const hit = candidates.find((c) => c.r.route.method === req.method)
    if (!hit) throw new BlockfrostHttpError(405, `Method ${req.method} is not allowed on ${path}.`)
    if (options.projectId !== undefined && req.headers.project_id !== options.projectId) throw new BlockfrostHttpError(403, 'Invalid project token.')
    const body = req.method === 'POST' ? await readBody(req, max) : Buffer.alloc(0)
    const out = await hit.r.route.handler({ params: hit.params!, query: url.searchParams, body, contentType: String(req.headers['content-type'] ?? '') })
    send(res, 200, out)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy()
      if (e instanceof BlockfrostHttpError) return send(res, e.status, e.body())
      send(res, 500, new BlockfrostHttpError(500, `devnet API error: ${(e as Error)?.message ?? String(e)}`).body())
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      const port = (server.address() as AddressInfo).port
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
