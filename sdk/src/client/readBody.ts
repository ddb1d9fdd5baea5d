import { NetworkError } from './errors.js'

/**
 * The largest body the client reads from a node unless a request says otherwise: 16 MiB (a
 * `GET /batches` page of 1,000 batches is well under 1 MiB; log pages have their own bound).
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

/**
 * The bounds of one read of a response body from a node (untrusted).
 *
 * @example
 * const bounds: BodyBounds = { request: 'GET /batches', maxBytes: 1 << 20, deadline: Date.now() + 30_000 }
 */
export interface BodyBounds {
  /** The request, as `METHOD /path`, for the error messages. */
  readonly request: string
  /** Most bytes accepted: a larger declared length is refused at once, a longer stream as it reaches it. */
  readonly maxBytes: number
  /** When the whole body must have arrived, as a `Date.now()` time (absent: no deadline). */
  readonly deadline?: number
  /** Aborts the read (`ABORTED`). */
  readonly signal?: AbortSignal
}

const noop = (): void => {}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/**
 * Reads a response body within bounds: at most `maxBytes` (the declared `content-length` is checked
 * first, then the bytes as they stream in, so a node's endless body costs at most `maxBytes` of memory)
 * and complete by `deadline` (a body dripped a byte a second does not hold the reader past it). On a
 * bound, the read stops and the body is cancelled, which closes the connection. The one reader of
 * node bodies in the SDK: the client's transport, the auditor and the relay go through it.
 *
 * Throws `NetworkError`: `RESPONSE_TOO_LARGE`, `BODY_TIMEOUT`, `ABORTED`, or `NETWORK_ERROR` (the
 * connection broke off mid-body).
 *
 * @example
 * const bytes = await readBody(res, { request: 'GET /log', maxBytes: 64 << 20, deadline: Date.now() + 30_000 })
 */
export async function readBody(res: Response, bounds: BodyBounds): Promise<Uint8Array> {
  const { request, maxBytes } = bounds
  const tooLarge = (got: number, declared: boolean) =>
    new NetworkError('RESPONSE_TOO_LARGE', `${request}: the node's answer is ${declared ? 'declared as ' : 'over '}${got} bytes; at most ${maxBytes} are read`, {
      request,
      details: { maxBytes, ...(declared ? { declared: got } : { received: got }) },
    })
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) {
    await res.body?.cancel().catch(noop)
    throw tooLarge(declared, true)
  }
  if (!res.body) return new Uint8Array(0)
  const reader = res.body.getReader()
  let stopped: 'deadline' | 'aborted' | 'too large' | undefined
  const stop = (why: NonNullable<typeof stopped>): void => {
    if (stopped) return
    stopped = why
    reader.cancel().catch(noop)
  }
  const timer = bounds.deadline === undefined ? undefined : setTimeout(() => stop('deadline'), Math.max(0, bounds.deadline - Date.now()))
  const onAbort = (): void => stop('aborted')
  bounds.signal?.addEventListener('abort', onAbort, { once: true })
  if (bounds.signal?.aborted) onAbort()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>
      try {
        r = await reader.read()
      } catch (e) {
        if (stopped) break
        throw new NetworkError('NETWORK_ERROR', `${request}: the connection broke off after ${size} bytes of the body`, { request, cause: e })
      }
      if (r.done || stopped) break
      size += r.value.length
      if (size > maxBytes) {
        stop('too large')
        throw tooLarge(size, false)
      }
      chunks.push(r.value)
    }
  } finally {
    clearTimeout(timer)
    bounds.signal?.removeEventListener('abort', onAbort)
  }
  if (stopped === 'deadline') {
    throw new NetworkError('BODY_TIMEOUT', `${request}: the body did not arrive in time (${size} bytes by the deadline)`, { request, details: { received: size } })
  }
  if (stopped === 'aborted') throw new NetworkError('ABORTED', `${request}: aborted`, { request })
  return concat(chunks, size)
}

/**
 * {@link readBody}, then JSON: `BAD_RESPONSE` when the bytes are not JSON.
 *
 * @example
 * const batches = await readJsonBody<unknown[]>(res, { request: 'GET /batches', maxBytes: 1 << 24 })
 */
export async function readJsonBody<T = unknown>(res: Response, bounds: BodyBounds): Promise<T> {
  const bytes = await readBody(res, bounds)
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T
  } catch (e) {
    throw new NetworkError('BAD_RESPONSE', `${bounds.request}: the response is not JSON`, { request: bounds.request, cause: e })
  }
}
