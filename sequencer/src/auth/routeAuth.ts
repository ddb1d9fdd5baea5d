import type { Scope } from './TokenStore.js'

/**
 * Who may call a route: a scope, `'submit'` (a wallet token unless the node is open) or `'firehose'`
 * (a relay token unless the node is open). Absent: public. `admin` passes every scope.
 */
export type RouteAuth = Scope | 'submit' | 'firehose'

/**
 * The scope a request needs on a node that is (or is not) configured open, or null when the route is
 * public there. The router, the fast submit path, the OpenAPI document and the docs all ask this.
 *
 * @example
 * requiredScope('submit', true)    // null: anyone may submit to an open node
 * requiredScope('firehose', false) // 'relay'
 */
export function requiredScope(auth: RouteAuth | undefined, open: boolean): Scope | null {
  if (!auth) return null
  if (auth === 'submit') return open ? null : 'wallet'
  if (auth === 'firehose') return open ? null : 'relay'
  return auth
}

/** The scope a route needs on a node that is not open (what OpenAPI and the docs show), or null. */
export const closedScope = (auth: RouteAuth | undefined): Scope | null => requiredScope(auth, false)

const BEARER_RE = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i

/**
 * The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive, RFC 7235),
 * or undefined when the header is absent, empty or of another scheme.
 *
 * @example
 * bearerToken('Bearer lgn_0123456789abcdef_xyz') // 'lgn_0123456789abcdef_xyz'
 * bearerToken('Basic dXNlcjpwdw==')             // undefined
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  return BEARER_RE.exec(header)?.[1]
}
