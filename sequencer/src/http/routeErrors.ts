import type { RouteDef } from './RouteDef.js'

/** Codes every route with a token may answer. */
const AUTH_ERRORS = ['UNAUTHORIZED', 'FORBIDDEN']
/** Codes of the body checks (size, deadline, content type, JSON schema). */
const BODY_ERRORS = ['BAD_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE', 'BODY_TIMEOUT']

/**
 * Every error code a route may answer: those of its auth, body and parameter checks (derived from the
 * route's definition, as the router applies them) and those its handler declares (`errors`).
 *
 * @example
 * routeErrors(txRoute) // ['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE', 'BODY_TIMEOUT', 'MALFORMED_CBOR', …]
 */
export function routeErrors(r: RouteDef): string[] {
  const codes = new Set<string>()
  if (r.auth) for (const c of AUTH_ERRORS) codes.add(c)
  if (r.params || r.query) codes.add('BAD_REQUEST')
  if (r.body) for (const c of BODY_ERRORS) codes.add(c)
  for (const c of r.errors ?? []) codes.add(c)
  return [...codes]
}
