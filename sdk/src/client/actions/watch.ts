import { ClientError } from '../errors.js'
import { readSse } from '../sse/readSse.js'
import { SseParser } from '../sse/SseParser.js'
import type { BaseClient } from '../transport.js'

/** The live events of `GET /stream`. */
export type StreamEvent =
  | { readonly type: 'receipts'; readonly data: { receipts: { txId: string; seq: number; logHead: string; kind: string }[] } }
  | { readonly type: 'batch'; readonly data: { number: number; root: string; logHead: string; fromSeq: number; toSeq: number; status: string; l1Tx: string | null } }
  | { readonly type: 'deposit'; readonly data: { outRef: string; owner: string; amount: string; status: string } }
  | { readonly type: 'exit'; readonly data: { account: string; amount: string; batch: number; paidTx: string } }
  | { readonly type: 'stats'; readonly data: { time: number; seq: number; tps: number; queueDepth: number; accounts: number } }

/** The names of {@link StreamEvent}s. */
export type StreamEventName = StreamEvent['type']

/** Parameters of {@link watch}. */
export interface WatchParams {
  /** Which events; default all. */
  readonly events?: readonly StreamEventName[]
  readonly onEvent: (e: StreamEvent) => void
  /** Connection problems (each is retried); default: ignored. */
  readonly onError?: (e: unknown) => void
  /** Called on every (re)connection. */
  readonly onOpen?: () => void
  /** Stops watching when aborted. */
  readonly signal?: AbortSignal
  /** First reconnection delay; doubles up to 30 s, back to this after a good connection. Default 1,000 ms. */
  readonly reconnectDelayMs?: number
}

const NAMES: readonly StreamEventName[] = ['receipts', 'batch', 'deposit', 'exit', 'stats']

/**
 * Follows the node's live events (`GET /stream`, Server-Sent Events read through `fetch` streaming, so
 * it runs in Node ≥ 20 and in browsers, with the client's token): receipts of every group commit,
 * batch status changes, deposits, exits paid, stats. Reconnects with back-off when the connection
 * drops, or when a frame grows past its bound (`SSE_FRAME_TOO_LARGE`, reported to `onError`). Returns
 * a function that stops it.
 *
 * @example
 * const unwatch = client.watch({ events: ['batch'], onEvent: (e) => console.log(e.type, e.data) })
 * // later
 * unwatch()
 */
export function watch(client: BaseClient, params: WatchParams): () => void {
  const doFetch = client.fetch ?? (typeof fetch === 'function' ? (i: string, init?: RequestInit) => fetch(i, init) : undefined)
  if (!doFetch) throw new ClientError('MISSING_CONFIG', 'no fetch in this runtime: pass `fetch` to createLagoonClient')
  const events = params.events ?? NAMES
  for (const e of events) if (!NAMES.includes(e)) throw new ClientError('INVALID_ARGUMENT', `unknown stream event "${e}"; one of ${NAMES.join(', ')}`)
  const controller = new AbortController()
  const stop = () => controller.abort()
  params.signal?.addEventListener('abort', stop, { once: true })
  if (params.signal?.aborted) stop()
  const base = params.reconnectDelayMs ?? 1000
  const query = params.events ? `?events=${events.join(',')}` : ''
  void (async () => {
    let delay = base
    let lastId: string | undefined
    while (!controller.signal.aborted) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...client.headers }
        if (client.token) headers.authorization = `Bearer ${client.token}`
        if (lastId) headers['last-event-id'] = lastId
        const res = await doFetch(`${client.url}/stream${query}`, { headers, signal: controller.signal })
        if (!res.ok || !res.body) throw new ClientError('INVALID_ARGUMENT', `GET /stream: HTTP ${res.status}`)
        params.onOpen?.()
        delay = base
        const parser = new SseParser({ request: 'GET /stream' })
        for await (const messages of readSse(res.body, { parser, signal: controller.signal })) {
          for (const m of messages) {
            if (!NAMES.includes(m.event as StreamEventName) || !events.includes(m.event as StreamEventName)) continue
            let data: unknown
            try {
              data = JSON.parse(m.data)
            } catch (e) {
              params.onError?.(e)
              continue
            }
            params.onEvent({ type: m.event, data } as StreamEvent)
          }
          lastId = parser.lastEventId ?? lastId
        }
        if (parser.retryMs !== undefined) delay = parser.retryMs
      } catch (e) {
        if (controller.signal.aborted) break
        params.onError?.(e)
      }
      if (controller.signal.aborted) break
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay)
        controller.signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true })
      })
      delay = Math.min(30_000, delay * 2)
    }
  })()
  return stop
}
