/** The events of the node's `GET /stream` (Server-Sent Events), as the page reads them. */
export interface StreamEvents {
  receipts: { receipts: { txId: string; seq: number; logHead: string; kind: string }[] }
  batch: { number: number; root: string; logHead: string; fromSeq: number; toSeq: number; status: string; l1Tx: string | null }
  deposit: { outRef: string; owner: string; amount: string; status: 'seen' | 'credited' | 'absorbed' | 'refunded' | string }
  exit: { account: string; amount: string; batch: number; paidTx: string }
  stats: { time: number; seq: number; tps: number; queueDepth: number; accounts: number }
}

/** The connection's state, for the page's indicator. */
export type StreamStatus = 'connecting' | 'live' | 'reconnecting'

type Listener<K extends keyof StreamEvents> = (data: StreamEvents[K]) => void

/**
 * One `EventSource` on the node's `/stream` shared by the whole page: listeners per event name, a
 * status callback, and reconnection (the browser's own after a drop; a new source after a refusal).
 *
 * @example
 * const stream = new NodeStream(location.origin)
 * stream.on('stats', (s) => chart.push(s))
 */
export class NodeStream {
  private source: EventSource | null = null
  private readonly listeners = new Map<string, Set<(d: never) => void>>()
  private statusListener: ((s: StreamStatus) => void) | undefined
  private closed = false
  status: StreamStatus = 'connecting'
  /** When the last event of each kind arrived (ms), for fallbacks. */
  readonly lastSeen = new Map<keyof StreamEvents, number>()

  constructor(private readonly nodeUrl: string) {
    this.connect()
  }

  /** Calls `f` on every event `name`; returns the unsubscribe function. */
  on<K extends keyof StreamEvents>(name: K, f: Listener<K>): () => void {
    const set = this.listeners.get(name) ?? new Set()
    this.listeners.set(name, set)
    set.add(f as (d: never) => void)
    return () => set.delete(f as (d: never) => void)
  }

  /** Called on every change of the connection's state. */
  onStatus(f: (s: StreamStatus) => void): void {
    this.statusListener = f
    f(this.status)
  }

  close(): void {
    this.closed = true
    this.source?.close()
  }

  private connect(): void {
    const source = new EventSource(`${this.nodeUrl}/stream`)
    this.source = source
    source.onopen = () => this.setStatus('live')
    source.onerror = () => {
      this.setStatus('reconnecting')
      // The browser retries a dropped stream by itself, but not one answered with an error status
      // (a node restarting behind a proxy): then start over a little later.
      if (source.readyState === EventSource.CLOSED && !this.closed) setTimeout(() => this.closed || this.connect(), 3000)
    }
    for (const name of ['receipts', 'batch', 'deposit', 'exit', 'stats'] as const) {
      source.addEventListener(name, (e) => {
        let data: unknown
        try {
          data = JSON.parse((e as MessageEvent<string>).data)
        } catch {
          return
        }
        this.lastSeen.set(name, Date.now())
        for (const f of this.listeners.get(name) ?? []) (f as Listener<typeof name>)(data as StreamEvents[typeof name])
      })
    }
  }

  private setStatus(s: StreamStatus): void {
    this.status = s
    this.statusListener?.(s)
  }
}
