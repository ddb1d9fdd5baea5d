import type { Context } from 'hono'
import type { Scope } from '../auth/TokenStore.js'
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
 * One API route: everything the router, the validator and the OpenAPI generator need. `auth` is the
 * scope a bearer token must have; `'submit'` means wallet unless the node is configured open.
 *
 * @example
 * const health: RouteDef = { method: 'get', path: '/health', summary: 'Liveness', responses: { 200: { description: 'ok' } }, handler: (c) => c.json({ ok: true }) }
 */
export interface RouteDef {
  readonly method: 'get' | 'post'
  readonly path: string
  readonly summary: string
  readonly tag: string
  readonly auth?: Scope | 'submit'
  readonly body?: BodySpec
  readonly query?: Readonly<Record<string, JsonSchema>>
  readonly params?: Readonly<Record<string, JsonSchema>>
  readonly responses: Readonly<Record<number, { readonly description: string; readonly contentType?: string; readonly schema?: JsonSchema }>>
  readonly handler: (c: Context, input: RouteInput) => Response | Promise<Response>
}
