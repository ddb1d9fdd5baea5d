import { closedScope } from '../auth/routeAuth.js'
import { ERROR_STATUS } from './errorStatus.js'
import type { RouteDef } from './RouteDef.js'
import { routeErrors } from './routeErrors.js'
import type { JsonSchema } from './schema.js'

/** Placeholders of the curl examples, by path parameter. */
const PLACEHOLDER: Record<string, string> = { id: '$ACCOUNT', txId: '$TX_ID' }

const statusOf = (code: string): number => (ERROR_STATUS as Record<string, number>)[code] ?? 500

/** A one-line sketch of a JSON schema: `{ seq: integer, logHead: hex32 }`, `[{ … }]`. */
function sketch(s: JsonSchema, depth = 0): string {
  switch (s.type) {
    case 'object': {
      const req = new Set(s.required ?? [])
      const fields = Object.entries(s.properties).map(([k, v]) => `${k}${req.has(k) ? '' : '?'}: ${sketch(v, depth + 1)}`)
      return fields.length === 0 ? 'object' : `{ ${fields.join(', ')} }`
    }
    case 'array':
      return `[${sketch(s.items, depth + 1)}]`
    case 'string':
      if (s.enum) return s.enum.map((e) => `"${e}"`).join(' | ')
      if (s.pattern === '^[0-9a-f]{64}$') return 'hex32'
      if (s.pattern === '^[0-9a-f]{56}$') return 'hex28'
      if (s.pattern === '^[0-9]+$' || s.pattern === '^[0-9]{1,16}$') return 'decimal string'
      return 'string'
    default:
      return s.type
  }
}

function authText(r: RouteDef): string {
  const scope = closedScope(r.auth)
  if (!scope) return 'public'
  const open = r.auth === 'submit' || r.auth === 'firehose' ? ' (none when the node is configured `open`)' : ''
  return `\`${scope}\` token${scope === 'admin' ? '' : ' or admin'}${open}`
}

function curl(r: RouteDef): string {
  const path = r.example ?? r.path.replace(/:([A-Za-z]+)/g, (_, p: string) => PLACEHOLDER[p] ?? `$${p.toUpperCase()}`)
  const sse = r.responses[200]?.contentType === 'text/event-stream'
  const parts = ['curl', sse ? '-N' : '-s']
  if (r.method === 'post') parts.push('-X POST')
  if (closedScope(r.auth)) parts.push('-H "Authorization: Bearer $LAGOON_TOKEN"')
  if (r.body?.kind === 'cbor') parts.push("-H 'content-type: application/cbor'", r.path === '/txs' ? '--data-binary @txs.cbor' : '--data-binary @tx.cbor')
  if (r.body?.kind === 'json') parts.push("-H 'content-type: application/json'", '-d @key-authorization.json')
  parts.push(`"$NODE${path}"`)
  return parts.join(' ')
}

function section(r: RouteDef): string {
  const out: string[] = [`### \`${r.method.toUpperCase()} ${r.path}\``, '', /[.!?]$/.test(r.summary) ? r.summary : `${r.summary}.`, '']
  if (r.notes) out.push(r.notes, '')
  out.push(`- **Auth:** ${authText(r)}`)
  const params = [
    ...Object.entries(r.params ?? {}).map(([n, s]) => `\`${n}\` (path, ${sketch(s)}${s.description ? `: ${s.description}` : ''})`),
    ...Object.entries(r.query ?? {}).map(([n, s]) => `\`${n}\` (query, optional, ${sketch(s)}${s.description ? `: ${s.description}` : ''})`),
  ]
  if (params.length > 0) out.push(`- **Parameters:** ${params.join('; ')}`)
  if (r.body) {
    out.push(
      r.body.kind === 'cbor'
        ? `- **Body:** \`application/cbor\`, at most ${r.body.maxBytes} bytes: ${r.body.description}`
        : `- **Body:** \`application/json\`, at most ${r.body.maxBytes} bytes: \`${sketch(r.body.schema)}\``,
    )
  }
  for (const [status, res] of Object.entries(r.responses)) {
    const type = res.contentType ?? 'application/json'
    out.push(`- **Response ${status}** (\`${type}\`): ${res.description}${res.schema ? ` — \`${sketch(res.schema)}\`` : ''}`)
  }
  const errors = routeErrors(r)
  if (errors.length > 0) out.push(`- **Errors:** ${errors.map((c) => `\`${c}\` ${statusOf(c)}`).join(', ')}`)
  out.push('', '```sh', curl(r), '```', '')
  return out.join('\n')
}

/**
 * docs/api.md from the route table: the hand-written `intro` and `outro`, then one section per route
 * (method, path, auth, parameters, body, responses, every error code with its status, a curl example)
 * grouped by tag, and the table of every error code. `npm run docs:api` writes it; a test checks that
 * the file is up to date, so the reference cannot drift from the code.
 *
 * @example
 * writeFileSync('docs/api.md', renderApiDocs(apiRoutes(deps), { intro, outro }))
 */
export function renderApiDocs(routes: readonly RouteDef[], text: { intro: string; outro: string }): string {
  const tags: string[] = []
  for (const r of routes) if (!tags.includes(r.tag)) tags.push(r.tag)
  const out: string[] = [text.intro.trim(), '', '## Endpoints', '']
  out.push('| method | path | auth | summary |', '| --- | --- | --- | --- |')
  for (const r of routes) out.push(`| ${r.method.toUpperCase()} | \`${r.path}\` | ${closedScope(r.auth) ?? 'public'} | ${r.summary.split(/: |\. | \(|; /)[0]!.trim()} |`)
  out.push('')
  for (const tag of tags) {
    out.push(`## ${tag[0]!.toUpperCase()}${tag.slice(1)}`, '')
    for (const r of routes.filter((x) => x.tag === tag)) out.push(section(r))
  }
  out.push('## Error codes', '', 'Every error answers `{ "code", "message", "details"? }` with the status below (one map: `sequencer/src/http/errorStatus.ts`).', '')
  out.push('| code | status |', '| --- | --- |')
  for (const [code, status] of Object.entries(ERROR_STATUS).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))) out.push(`| \`${code}\` | ${status} |`)
  out.push('', text.outro.trim(), '')
  return out.join('\n')
}
