import { ApiError, fromHex, LagoonError, NetworkError, readSse, type BaseClient, type LogEntryBytes } from '@lagoon/sdk'

/** The longest `GET /log/stream` frame read: 1 Mi characters (an entry's frame is under 17 KiB: a task of at most 8,300 bytes, in hex). */
export const LOG_STREAM_MAX_FRAME = 1 << 20

/**
 * A node's live log as {@link openLogStream} opens it: `entries` yields the entries of each network
 * chunk together (possibly none); or `refused`, the HTTP status, when the node has no stream (404) or
 * wants a relay token for it (401, 403).
 *
 * @example
 * const s: LogStream = await openLogStream(node, seq + 1, { signal })
 */
export type LogStream = { readonly entries: AsyncGenerator<LogEntryBytes[], void, undefined> } | { readonly refused: number }

/**
 * Opens `GET /log/stream?from=FROM` through the relay's bounded client: the headers within its
 * deadline, then every frame bounded by {@link LOG_STREAM_MAX_FRAME} (`SSE_FRAME_TOO_LARGE` past it,
 * the connection closed). A `task` event that is not an entry (`{ seq, bytes, head }`, hex) is
 * `BAD_RESPONSE`. The caller checks the entries (order, chain, signatures) as it applies them.
 *
 * @example
 * const s = await openLogStream(node, 813, { signal, headers: { authorization: `Bearer ${token}` } })
 * if ('entries' in s) for await (const entries of s.entries) apply(entries)
 */
export async function openLogStream(node: BaseClient, from: number, opts: { readonly signal: AbortSignal; readonly headers?: Record<string, string> }): Promise<LogStream> {
  let res: Response
  try {
    res = await node.request<Response>({ method: 'GET', path: `/log/stream?from=${from}`, expect: 'stream', headers: { accept: 'text/event-stream', ...opts.headers }, signal: opts.signal })
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 401 || e.status === 403)) return { refused: e.status }
    throw e
  }
  if (!res.body) throw new LagoonError('NO_STREAM', `GET /log/stream answered HTTP ${res.status} without a body`)
  return { entries: entriesOf(res.body, opts.signal) }
}

async function* entriesOf(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<LogEntryBytes[], void, undefined> {
  for await (const events of readSse(body, { signal, request: 'GET /log/stream', maxFrameLength: LOG_STREAM_MAX_FRAME })) {
    const entries: LogEntryBytes[] = []
    for (const e of events) if (e.event === 'task') entries.push(entryOf(e.data))
    yield entries
  }
}

function entryOf(data: string): LogEntryBytes {
  try {
    const d = JSON.parse(data) as { seq: unknown; bytes: unknown; head: unknown }
    if (typeof d.seq !== 'number' || typeof d.bytes !== 'string' || typeof d.head !== 'string') throw new TypeError('not { seq, bytes, head }')
    return { seq: d.seq, bytes: fromHex(d.bytes), head: fromHex(d.head) }
  } catch (e) {
    throw new NetworkError('BAD_RESPONSE', `GET /log/stream: a task event is not a log entry (${(e as Error).message})`, { request: 'GET /log/stream', cause: e })
  }
}
