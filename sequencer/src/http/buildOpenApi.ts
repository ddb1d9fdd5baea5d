import { closedScope } from '../auth/routeAuth.js'
import { ERROR_STATUS } from './errorStatus.js'
import { routeErrors } from './routeErrors.js'
import { ERROR } from './schemas.js'
import type { RouteDef } from './RouteDef.js'

/**
 * The OpenAPI 3.1 document of a route table: paths, parameters, bodies, auth and responses come from
 * the same definitions the router validates with, so the document cannot drift from the code.
 *
 * @example
 * app.get('/openapi.json', (c) => c.json(buildOpenApi(routes, { title: 'Lagoon sequencer', version: '0.1.0' })))
 */
export function buildOpenApi(routes: readonly RouteDef[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}')
    const parameters = [
      ...Object.entries(r.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries(r.query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
    ]
    const responses: Record<string, unknown> = {}
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = {
        description: res.description,
        ...(res.schema || res.contentType ? { content: { [res.contentType ?? 'application/json']: res.schema ? { schema: res.schema } : {} } } : {}),
      }
    }
    const byStatus = new Map<number, string[]>()
    for (const code of routeErrors(r)) {
      const st = (ERROR_STATUS as Record<string, number>)[code] ?? 500
      byStatus.set(st, [...(byStatus.get(st) ?? []), code])
    }
    for (const [st, codes] of [...byStatus].sort((x, y) => x[0] - y[0])) {
      responses[String(st)] = { description: `code ${codes.join(' | ')}`, content: { 'application/json': { schema: ERROR } } }
    }
    responses['4XX'] = { description: 'A client error: see the code', content: { 'application/json': { schema: ERROR } } }
    const op: Record<string, unknown> = { summary: r.summary, tags: [r.tag], operationId: `${r.method}${path.replace(/[^A-Za-z]+(.)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`, responses }
    if (parameters.length > 0) op.parameters = parameters
    const scope = closedScope(r.auth)
    if (scope) {
      op.security = [{ bearer: [scope] }]
      if (r.auth === 'submit' || r.auth === 'firehose') op['x-lagoon-open'] = 'no token needed when the node is configured open'
    }
    op['x-lagoon-error-codes'] = routeErrors(r)
    if (r.body) {
      op.requestBody = {
        required: true,
        description: r.body.kind === 'cbor' ? `${r.body.description} (at most ${r.body.maxBytes} bytes)` : `JSON, at most ${r.body.maxBytes} bytes`,
        content:
          r.body.kind === 'cbor'
            ? { 'application/cbor': { schema: { type: 'string', format: 'binary' } } }
            : { 'application/json': { schema: r.body.schema } },
      }
    }
    ;(paths[path] ??= {})[r.method] = op
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'lgn_<id>_<secret>; scopes admin, relay, wallet (admin passes all)' } },
      schemas: { Error: ERROR },
    },
  }
}
