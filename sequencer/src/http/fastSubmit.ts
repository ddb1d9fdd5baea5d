import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerToken, requiredScope } from '../auth/routeAuth.js'
import { NodeError } from '../errors/NodeError.js'
import type { AppDeps } from './AppDeps.js'
import { errorHeaders, errorResponse } from './errorStatus.js'
import { readIncoming } from './readIncoming.js'
import { submitMany, submitOne } from './submit.js'

/**
 * The submit routes (`POST /tx`, `POST /txs`) served straight on Node's request and response, ahead
 * of Hono: the hot path skips the web Request/Response objects, the context and the middleware
 * chain. It answers exactly as the Hono routes do, with the same checks in the same order (auth,
 * body size, content type), the same bodies and statuses (`errorResponse`), and the same shared
 * handlers (`submitOne`/`submitMany`), the same body deadline (`bodyTimeoutMs`). Anything else (another method or path, a query string)
 * returns false and goes to Hono.
 *
 * @example
 * const fast = fastSubmit(deps)
 * http.createServer((req, res) => fast(req, res) || honoListener(req, res))
 */
export function fastSubmit(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const maxTx = deps.limits.maxTxBytes
  const maxBatch = deps.maxBatchBytes ?? 4 * 1024 * 1024
  const maxBatchTxs = deps.maxBatchTxs ?? 4096
  const bodyTimeoutMs = deps.bodyTimeoutMs

  const send = (res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void => {
    const json = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...extra })
    res.end(json)
  }
  const fail = (res: ServerResponse, e: unknown): void => {
    if (res.headersSent) return void res.destroy()
    const { status, body } = errorResponse(e)
    send(res, status, body, errorHeaders(status, body.code))
  }

  async function handle(req: IncomingMessage, res: ServerResponse, one: boolean): Promise<void> {
    const scope = requiredScope('submit', deps.open)
    if (scope) {
      const check = deps.tokens.check(bearerToken(req.headers.authorization), scope)
      if (!check.ok) {
        deps.metrics.inc('lagoon_auth_failures_total', { code: check.code })
        return fail(res, new NodeError(check.code, check.message))
      }
    }
    const max = one ? maxTx : maxBatch
    const body = await readIncoming(req, max, bodyTimeoutMs)
    if (body === null) return fail(res, new NodeError('BODY_TOO_LARGE', `the body is larger than ${max} bytes`, { details: { max } }))
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'application/cbor' && type !== 'application/octet-stream') {
      throw new NodeError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/cbor; got "${type}"`)
    }
    // A copy: a chunk may be a view into a larger socket buffer that queued tasks would keep alive.
    const bytes = new Uint8Array(body)
    send(res, 200, one ? await submitOne(deps.sequencer, bytes) : await submitMany(deps.sequencer, bytes, maxBatchTxs))
  }

  return (req, res) => {
    if (req.method !== 'POST') return false
    const one = req.url === '/tx'
    if (!one && req.url !== '/txs') return false
    handle(req, res, one).catch((e: unknown) => fail(res, e))
    return true
  }
}
