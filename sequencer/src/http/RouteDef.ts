import type { Context } from 'hono'
import type { RouteAuth } from '../auth/routeAuth.js'
import type { JsonSchema } from './schema.js'

/** A request body a route takes: raw CBOR bytes, or JSON checked against a schema. */
export type BodySpec =
  | { readonly kind: 'cbor'; readonly maxBytes: number; readonly description: string }
  | { readonly kind: 'json'; readonly maxBytes: number; readonly schema: JsonSchema }

/** What a handler gets: the validated body (bytes or JSON), query and path parameters. */
export interface RouteInput {
  readonly body: unknown
  readonly query: Record<string, string>
  readonly params: Record<string, string>
}

/**
 * One API route: everything the router, the validator, the OpenAPI generator and docs/api.md need.
 * `auth` is the scope a bearer token must have (`requiredScope`): `'submit'` means wallet and
 * `'firehose'` relay, unless the node is configured open; absent means public. `errors` lists the
 * codes the handler itself may answer (those of auth, bodies and parameters are derived: `routeErrors`).
 *
 * @example
 * const health: RouteDef = { method: 'get', path: '/health', summary: 'Liveness', responses: { 200: { description: 'ok' } }, handler: (c) => c.json({ ok: true }) }
 */
export interface RouteDef {
  readonly method: 'get' | 'post'
  readonly path: string
  readonly summary: string
  readonly tag: string
  readonly auth?: RouteAuth
  readonly body?: BodySpec
  readonly query?: Readonly<Record<string, JsonSchema>>
  readonly params?: Readonly<Record<string, JsonSchema>>
  readonly responses: Readonly<Record<number, { readonly description: string; readonly contentType?: string; readonly schema?: JsonSchema }>>
  readonly errors?: readonly string[]
  /** The request line of the docs' curl example: path and query with `$PLACEHOLDERS` (default: the path). */
  readonly example?: string
  /** Text for docs/api.md beyond the summary (markdown). */
  readonly notes?: string
  readonly handler: (c: Context, input: RouteInput) => Response | Promise<Response>
}
