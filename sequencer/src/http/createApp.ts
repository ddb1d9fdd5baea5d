import type { IncomingMessage } from 'node:http'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { bearerToken, requiredScope } from '../auth/routeAuth.js'
import { NodeError } from '../errors/NodeError.js'
import type { AppDeps } from './AppDeps.js'
import { readIncoming } from './readIncoming.js'
import { errorHeaders, errorResponse } from './errorStatus.js'
import type { RouteDef } from './RouteDef.js'
import { apiRoutes } from './routes.js'
import { StreamHub } from './stream/StreamHub.js'
import { validate } from './schema.js'

function fail(c: Context, e: unknown): Response {
  const { status, body } = errorResponse(e)
  for (const [k, v] of Object.entries(errorHeaders(status, body.code) ?? {})) c.header(k, v)
  return c.json(body, status as 400)
}

function authMiddleware(deps: AppDeps, r: RouteDef): MiddlewareHandler | undefined {
  const scope = requiredScope(r.auth, deps.open)
  if (!scope) return undefined
  return async (c, next) => {
    const check = deps.tokens.check(bearerToken(c.req.header('authorization')), scope)
    if (!check.ok) {
      deps.metrics.inc('lagoon_auth_failures_total', { code: check.code })
      return fail(c, new NodeError(check.code, check.message))
    }
    await next()
  }
}

/** Bodies read straight from Node's IncomingMessage by `limitBody`, by request context. */
const rawBodies = new WeakMap<Context, Buffer>()

/** The Node request behind a context when served by @hono/node-server (undefined under `app.request`). */
function incomingOf(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  return incoming && typeof incoming.on === 'function' ? incoming : undefined
}

/**
 * The body-size limit (BODY_TOO_LARGE) and deadline (BODY_TIMEOUT). Served by @hono/node-server, it
 * reads the body itself from the Node request, which spares Hono building a web `Request` and a stream
 * per request; under `app.request` (no socket, so no deadline) it falls back to Hono's `bodyLimit`.
 */
function limitBody(max: number, timeoutMs: number | undefined): MiddlewareHandler {
  const tooLarge = (c: Context): Response => fail(c, new NodeError('BODY_TOO_LARGE', `the body is larger than ${max} bytes`, { details: { max } }))
  const viaHono = bodyLimit({ maxSize: max, onError: tooLarge })
  return async (c, next) => {
    const incoming = incomingOf(c)
    if (!incoming || incoming.readableDidRead) return viaHono(c, next)
    const body = await readIncoming(incoming, max, timeoutMs)
    if (body === null) return tooLarge(c)
    rawBodies.set(c, body)
    await next()
  }
}

async function bodyBytes(c: Context): Promise<Uint8Array> {
  const raw = rawBodies.get(c)
  // A copy: a chunk may be a view into a larger socket buffer that queued tasks would keep alive.
  return raw ? new Uint8Array(raw) : new Uint8Array(await c.req.arrayBuffer())
}

async function readInput(c: Context, r: RouteDef): Promise<unknown> {
  if (!r.body) return undefined
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (r.body.kind === 'cbor') {
    if (type !== 'application/cbor' && type !== 'application/octet-stream') {
      throw new NodeError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/cbor; got "${type}"`)
    }
    return bodyBytes(c)
  }
  if (type !== 'application/json') throw new NodeError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/json; got "${type}"`)
  let json: unknown
  try {
    const raw = rawBodies.get(c)
    json = JSON.parse(raw ? raw.toString('utf8') : await c.req.text())
  } catch {
    throw new NodeError('BAD_REQUEST', 'the body is not valid JSON')
  }
  const problems = validate(r.body.schema, json, 'body')
  if (problems.length > 0) throw new NodeError('BAD_REQUEST', problems.join('; '), { details: { problems } })
  return json
}

function checkStrings(where: string, schemas: RouteDef['query'], values: Record<string, string>): void {
  if (!schemas) return
  const problems: string[] = []
  for (const [k, v] of Object.entries(values)) {
    const s = Object.hasOwn(schemas, k) ? schemas[k] : undefined // not `__proto__` / `constructor` of a plain object
    if (!s) problems.push(`${where}.${k}: is not a parameter of this route`)
    else problems.push(...validate(s, v, `${where}.${k}`))
  }
  if (problems.length > 0) throw new NodeError('BAD_REQUEST', problems.join('; '), { details: { problems } })
}

/**
 * The node's HTTP API as a Hono app, built from the route table (`apiRoutes`): auth, body limits,
 * content types and schemas are checked at the edge, and every error leaves through `errorResponse`
 * (one code → status map). Start it with `@hono/node-server`'s `serve({ fetch: app.fetch })`.
 *
 * @example
 * const app = createApp(deps)
 * const res = await app.request('/health')
 */
export function createApp(given: AppDeps): Hono {
  const deps: AppDeps = given.streams ? given : { ...given, streams: new StreamHub(given, given.streamOptions) }
  const app = new Hono()
  const routes = apiRoutes(deps)

  for (const r of routes) {
    const mws: MiddlewareHandler[] = []
    const auth = authMiddleware(deps, r)
    if (auth) mws.push(auth)
    if (r.body) mws.push(limitBody(r.body.maxBytes, deps.bodyTimeoutMs))
    const handler: MiddlewareHandler = async (c) => {
      const params = c.req.param() as Record<string, string>
      const query = c.req.query()
      checkStrings('params', r.params, params)
      checkStrings('query', r.query ?? {}, query)
      const body = await readInput(c, r)
      return r.handler(c, { body, query, params })
    }
    app.on(r.method.toUpperCase(), [r.path], ...mws, handler)
  }
  app.notFound((c) => fail(c, new NodeError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)))
  app.onError((e, c) => fail(c, e))
  return app
}
