import type { ServerResponse } from 'node:http'
import { NodeError } from '../errors/NodeError.js'
import type { AppDeps } from './AppDeps.js'
import type { RouteDef } from './RouteDef.js'
import { UINT_STRING } from './schemas.js'
import { STREAM_EVENTS, StreamHub } from './stream/StreamHub.js'

const SSE = 'text/event-stream'

function hubOf(deps: AppDeps): StreamHub {
  if (!deps.streams) throw new NodeError('NOT_FOUND', 'this node serves no streams')
  return deps.streams
}

/**
 * The Server-Sent Events routes: `GET /stream` (public: receipts, batches, deposits, exits, stats)
 * and `GET /log/stream` (the durable task log from `from`, then live; relay scope unless the node is open).
 *
 * @example
 * const routes = [...apiRoutes(deps)] // includes streamRoutes(deps)
 */
export function streamRoutes(deps: AppDeps): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/stream',
      tag: 'streams',
      summary: `Live events as Server-Sent Events: \`events\` picks some of ${STREAM_EVENTS.join(', ')} (comma-separated; default all). Receipts come once per durable group commit`,
      query: { events: { type: 'string', pattern: '^[a-z,]{0,64}$', description: `comma-separated subset of ${STREAM_EVENTS.join(',')}` } },
      example: '/stream?events=receipts,stats',
      responses: { 200: { description: 'An endless text/event-stream of the events asked for (docs/api.md, "Stream events and reconnecting")', contentType: SSE } },
      errors: ['TOO_MANY_CLIENTS'],
      notes: 'A client that does not read fast enough (its queue passes the per-client bound) is disconnected; reconnect and resync from `GET /log` or `/receipts/:txId`.',
      handler: (c, { query }) => {
        const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
        return hubOf(deps).openEvents(StreamHub.parseEvents(query.events), outgoing && typeof outgoing.destroy === 'function' ? () => outgoing.destroy() : undefined)
      },
    },
    {
      method: 'get',
      path: '/log/stream',
      tag: 'streams',
      summary:
        'The task log as Server-Sent Events (`event: task`, `id` = seq) from seq `from` (default 1, or Last-Event-ID + 1 on reconnect): the durable log first, then each entry as it becomes durable, with no gap and no duplicate',
      auth: 'firehose',
      query: { from: UINT_STRING },
      example: '/log/stream?from=1',
      responses: { 200: { description: 'An endless text/event-stream of `task` events', contentType: SSE } },
      errors: ['TOO_MANY_CLIENTS'],
      notes: 'Paced by the client: a slow relay is not dropped, the node reads the log for it only as fast as it takes it.',
      handler: (c, { query }) => {
        const lastId = c.req.header('last-event-id')
        const from = query.from !== undefined ? Number(query.from) : lastId && /^[0-9]{1,16}$/.test(lastId) ? Number(lastId) + 1 : 1
        return hubOf(deps).openLog(from)
      },
    },
  ]
}
