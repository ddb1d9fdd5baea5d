import { fromHex } from '../core/bytes.js'
import { blake2b256Reference, type Blake2b256 } from '../core/crypto/blake2b256.js'
import { DEFAULT_LIMITS, type Limits } from '../core/limits.js'
import { ApiError, ClientError, NetworkError } from './errors.js'
import { DEFAULT_MAX_RESPONSE_BYTES, readBody, readJsonBody, type BodyBounds } from './readBody.js'
import type { FetchLike, LagoonClientConfig } from './types.js'

/** A request the client sends. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST'
  /** Path and query, e.g. `/accounts/ab…` or `/log?from=1&limit=100`. */
  readonly path: string
  /** A JSON body (sent as application/json) or bytes (sent as application/cbor). */
  readonly body?: unknown
  /**
   * What to read back (status 2xx checked): parsed JSON (default); the body's `bytes` and the
   * response `headers` (`BodyBytes`); or, for an endless body such as Server-Sent Events, the
   * `Response` once its headers are in (read it with `readSse`: the deadline covers only the headers).
   */
  readonly expect?: 'json' | 'bytes' | 'stream'
  /** Most bytes of the answer's body read; default the client's `maxResponseBytes`. */
  readonly maxBytes?: number
  /** Extra headers of this request. */
  readonly headers?: Readonly<Record<string, string>>
  readonly signal?: AbortSignal
}

/**
 * A body read as bytes (`expect: 'bytes'`), with the response's headers.
 *
 * @example
 * const { bytes, headers } = await base.request<BodyBytes>({ method: 'GET', path: '/log', expect: 'bytes' })
 */
export interface BodyBytes {
  readonly bytes: Uint8Array
  readonly headers: Headers
}

/** The largest error body read (the API's are a few hundred bytes). */
const MAX_ERROR_BODY_BYTES = 64 * 1024

/**
 * The transport every action goes through: the resolved configuration and `request`. Actions are
 * plain functions of a `BaseClient` (viem-style), so they tree-shake and can be called on a bare
 * transport as well as on the full client.
 *
 * @example
 * const base = createTransport({ url })
 * const state = await getState(base)
 */
export interface BaseClient {
  readonly url: string
  readonly token: string | undefined
  readonly hash: Blake2b256
  readonly limits: Limits
  readonly instance: Uint8Array | undefined
  readonly terms: Uint8Array | undefined
  /** The `fetch` requests go through (streams such as `watch` use it directly). */
  readonly fetch?: FetchLike
  /** The extra headers every request carries. */
  readonly headers?: Readonly<Record<string, string>>
  /** Sends a request; throws `ApiError` on an error response, `NetworkError` on a transport failure. */
  request<T = unknown>(req: ApiRequest): Promise<T>
  /** The instance id, or a `ClientError('MISSING_CONFIG')` when the client was created without one. */
  requireInstance(): Uint8Array
  /** The terms hash, or a `ClientError('MISSING_CONFIG')`. */
  requireTerms(): Uint8Array
}

function bytesOf(v: Uint8Array | string | undefined, n: number, what: string): Uint8Array | undefined {
  if (v === undefined) return undefined
  const b = typeof v === 'string' ? fromHex(v) : v
  if (b.length !== n) throw new ClientError('INVALID_ARGUMENT', `${what} must be ${n} bytes; got ${b.length}`)
  return b
}

/**
 * Builds the transport of a client: URL, token, fetch, timeouts and the error mapping. Every body is
 * read within bounds (`readBody`): at most `maxResponseBytes` (or the request's `maxBytes`), and the
 * whole exchange, headers and body, within `timeoutMs`.
 *
 * @example
 * const base = createTransport({ url: 'http://127.0.0.1:8080', token })
 * await base.request({ method: 'GET', path: '/health' })
 */
export function createTransport(config: LagoonClientConfig): BaseClient {
  const url = config.url.replace(/\/+$/, '')
  const doFetch: FetchLike | undefined = config.fetch ?? (typeof fetch === 'function' ? (i, init) => fetch(i, init) : undefined)
  if (!doFetch) throw new ClientError('MISSING_CONFIG', 'no global fetch in this runtime: pass `fetch` to createLagoonClient')
  const timeoutMs = config.timeoutMs ?? 30_000
  const maxResponseBytes = config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const instance = bytesOf(config.instance, 28, 'instance')
  const terms = bytesOf(config.terms, 32, 'terms')

  async function request<T>(req: ApiRequest): Promise<T> {
    const name = `${req.method} ${req.path.split('?')[0]}`
    const deadline = Date.now() + timeoutMs
    const headers: Record<string, string> = { accept: 'application/json, application/cbor', ...config.headers, ...req.headers }
    if (config.token) headers.authorization = `Bearer ${config.token}`
    let body: BodyInit | undefined
    if (req.body instanceof Uint8Array) {
      headers['content-type'] = 'application/cbor'
      body = req.body as Uint8Array<ArrayBuffer>
    } else if (req.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(req.body)
    }
    const timeout = new AbortController()
    const timer = setTimeout(() => timeout.abort(), timeoutMs)
    const onAbort = () => timeout.abort()
    req.signal?.addEventListener('abort', onAbort, { once: true })
    let res: Response
    try {
      res = await doFetch!(url + req.path, { method: req.method, headers, ...(body === undefined ? {} : { body }), signal: timeout.signal })
    } catch (e) {
      if (req.signal?.aborted) throw new NetworkError('ABORTED', `${name}: aborted`, { request: name, cause: e })
      if (timeout.signal.aborted) throw new NetworkError('TIMEOUT', `${name}: no answer from ${url} within ${timeoutMs} ms`, { request: name, cause: e })
      throw new NetworkError('NETWORK_ERROR', `${name}: cannot reach ${url}: ${(e as Error)?.message ?? String(e)}`, { request: name, cause: e })
    } finally {
      clearTimeout(timer)
      req.signal?.removeEventListener('abort', onAbort)
    }
    const bounds: BodyBounds = { request: name, maxBytes: req.maxBytes ?? maxResponseBytes, deadline, ...(req.signal ? { signal: req.signal } : {}) }
    if (!res.ok) {
      let parsed: { code?: unknown; message?: unknown; details?: unknown } | undefined
      try {
        parsed = await readJsonBody<typeof parsed>(res, { ...bounds, maxBytes: MAX_ERROR_BODY_BYTES })
      } catch (e) {
        if (!(e instanceof NetworkError) || e.code !== 'BAD_RESPONSE') throw e
        parsed = undefined
      }
      if (parsed && typeof parsed.code === 'string' && typeof parsed.message === 'string') {
        const details = parsed.details && typeof parsed.details === 'object' ? (parsed.details as Record<string, unknown>) : undefined
        throw new ApiError(parsed.code, parsed.message, { status: res.status, request: name, ...(details ? { details } : {}) })
      }
      throw new ApiError('HTTP_ERROR', `${name}: HTTP ${res.status} without an API error body`, { status: res.status, request: name })
    }
    if (req.expect === 'stream') return res as T
    if (req.expect === 'bytes') return { bytes: await readBody(res, bounds), headers: res.headers } satisfies BodyBytes as T
    return readJsonBody<T>(res, bounds)
  }

  return {
    url,
    token: config.token,
    fetch: doFetch,
    ...(config.headers ? { headers: config.headers } : {}),
    hash: config.hash ?? blake2b256Reference,
    limits: config.limits ?? DEFAULT_LIMITS,
    instance,
    terms,
    request,
    requireInstance() {
      if (!instance) throw new ClientError('MISSING_CONFIG', 'this action builds a transaction: create the client with `instance` (the 28-byte instance id)')
      return instance
    },
    requireTerms() {
      if (!terms) throw new ClientError('MISSING_CONFIG', 'registration signs the terms hash: create the client with `terms` (BLAKE2b-256 of the terms of service)')
      return terms
    },
  }
}

/** Reads a JSON field that must be a string, or throws `NetworkError('BAD_RESPONSE')`. */
export function field<T>(value: unknown, check: (v: unknown) => v is T, what: string, request: string): T {
  if (!check(value)) throw new NetworkError('BAD_RESPONSE', `${request}: ${what} is missing or malformed in the response`, { request })
  return value
}
