import { decodeCanonical } from '../../core/cbor/canonical.js'
import type { Limits } from '../../core/limits.js'
import { maxTaskBytes } from '../../core/task/decodeTask.js'
import { NetworkError } from '../errors.js'
import type { BaseClient, BodyBytes } from '../transport.js'
import type { LogEntryBytes, LogPage, RequestOptions } from '../types.js'

/** Parameters of {@link getLogPage}. */
export interface GetLogPageParams extends RequestOptions {
  /** The first seq to fetch; default 1. */
  readonly from?: number
  /** At most this many entries (the node caps it at 10,000); default 1,000. */
  readonly limit?: number
}

/**
 * The most bytes an honest node's `GET /log` page of `limit` entries can take: each entry is
 * `[seq, taskBytes, head]`, a task at most `maxTaskBytes(limits)`, plus at most 64 bytes of framing.
 * A longer body is refused while it streams in (`RESPONSE_TOO_LARGE`): a node's endless page costs
 * the reader no more than this.
 *
 * @example
 * maxLogPageBytes(5000, DEFAULT_LIMITS) // 41,820,016: 5,000 entries of 8,300-byte tasks
 */
export function maxLogPageBytes(limit: number, limits: Limits): number {
  return 16 + Math.max(1, limit) * (maxTaskBytes(limits) + 64)
}

/**
 * One page of the task log (`GET /log`): entries `[seq, taskBytes, head]` from `from`, the seq the next
 * page starts at and the node's tip seq. The bytes are untrusted: audit them with `auditLog`. The body
 * is bounded by `maxLogPageBytes` and the client's deadline (`NetworkError` `RESPONSE_TOO_LARGE`,
 * `BODY_TIMEOUT`).
 *
 * @example
 * const page = await client.getLogPage({ from: 1, limit: 500 })
 */
export async function getLogPage(client: BaseClient, params: GetLogPageParams = {}): Promise<LogPage> {
  const from = params.from ?? 1
  const limit = params.limit ?? 1000
  const name = 'GET /log'
  const { bytes: body, headers } = await client.request<BodyBytes>({
    method: 'GET',
    path: `/log?from=${from}&limit=${limit}`,
    expect: 'bytes',
    maxBytes: maxLogPageBytes(limit, client.limits),
    ...(params.signal ? { signal: params.signal } : {}),
  })
  let v: unknown
  try {
    v = decodeCanonical(body, body.length)
  } catch (e) {
    throw new NetworkError('BAD_RESPONSE', `${name}: the page is not canonical CBOR`, { request: name, cause: e })
  }
  if (!Array.isArray(v)) throw new NetworkError('BAD_RESPONSE', `${name}: the page is not a CBOR list`, { request: name })
  const entries: LogEntryBytes[] = []
  for (const e of v as unknown[]) {
    if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== 'number' || !(e[1] instanceof Uint8Array) || !(e[2] instanceof Uint8Array)) {
      throw new NetworkError('BAD_RESPONSE', `${name}: an entry is not [seq, bytes, head]`, { request: name })
    }
    entries.push({ seq: e[0], bytes: e[1], head: e[2] })
  }
  const nextHeader = Number(headers.get('lagoon-next-from'))
  const tipHeader = Number(headers.get('lagoon-log-seq'))
  const last = entries.length > 0 ? entries[entries.length - 1]!.seq : from - 1
  return {
    entries,
    nextFrom: Number.isSafeInteger(nextHeader) && nextHeader > 0 ? nextHeader : last + 1,
    tipSeq: Number.isSafeInteger(tipHeader) ? tipHeader : last,
  }
}

/** Parameters of {@link getLog}. */
export interface GetLogParams extends GetLogPageParams {
  /** Stop after this seq (inclusive); default: the tip when the page was served. */
  readonly to?: number
}

/**
 * The task log as an async iterator of pages, from `from` to the tip (or `to`). Break out of the loop
 * to stop; resume later with `from: lastSeq + 1`.
 *
 * @example
 * for await (const page of client.getLog({ from: 1, limit: 1000 })) {
 *   for (const e of page.entries) console.log(e.seq, e.bytes.length)
 * }
 */
export async function* getLog(client: BaseClient, params: GetLogParams = {}): AsyncGenerator<LogPage, void, undefined> {
  let from = params.from ?? 1
  for (;;) {
    const limit = params.to === undefined ? params.limit : Math.min(params.limit ?? 1000, params.to - from + 1)
    if (limit !== undefined && limit <= 0) return
    const page = await getLogPage(client, { ...params, from, ...(limit === undefined ? {} : { limit }) })
    if (page.entries.length === 0) return
    yield page
    from = page.nextFrom
    if (from > (params.to ?? page.tipSeq)) return
  }
}
