import { decodeCanonical } from '../../core/cbor/canonical.js'
import { NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { LogEntryBytes, LogPage, RequestOptions } from '../types.js'

/** Parameters of {@link getLogPage}. */
export interface GetLogPageParams extends RequestOptions {
  /** The first seq to fetch; default 1. */
  readonly from?: number
  /** At most this many entries (the node caps it at 10,000); default 1,000. */
  readonly limit?: number
}

const MAX_PAGE_BYTES = 256 * 1024 * 1024

/**
 * One page of the task log (`GET /log`): entries `[seq, taskBytes, head]` from `from`, the seq the next
 * page starts at and the node's tip seq. The bytes are untrusted: audit them with `auditLog`.
 *
 * @example
 * const page = await client.getLogPage({ from: 1, limit: 500 })
 */
export async function getLogPage(client: BaseClient, params: GetLogPageParams = {}): Promise<LogPage> {
  const from = params.from ?? 1
  const limit = params.limit ?? 1000
  const name = 'GET /log'
  const res = await client.request<Response>({ method: 'GET', path: `/log?from=${from}&limit=${limit}`, expect: 'response', ...(params.signal ? { signal: params.signal } : {}) })
  let body: Uint8Array
  try {
    body = new Uint8Array(await res.arrayBuffer())
  } catch (e) {
    throw new NetworkError('NETWORK_ERROR', `${name}: the body was cut off`, { request: name, cause: e })
  }
  let v: unknown
  try {
    v = decodeCanonical(body, MAX_PAGE_BYTES)
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
  const nextHeader = Number(res.headers.get('lagoon-next-from'))
  const tipHeader = Number(res.headers.get('lagoon-log-seq'))
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
