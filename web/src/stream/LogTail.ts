import { decodeTask, toHex, type LagoonClient, type Task, type Blake2b256, DEFAULT_LIMITS } from '../../../sdk/src/index.js'

/** A decoded entry of the task log, as the page shows it. */
export interface LogItem {
  readonly seq: number
  readonly head: string
  /** The task, or null when the bytes do not decode with this page's protocol core (`error` says why). */
  readonly task: Task | null
  readonly error?: string
}

function decode(bytes: Uint8Array, hash: Blake2b256): { task: Task | null; error?: string } {
  try {
    return { task: decodeTask(bytes, hash, DEFAULT_LIMITS) }
  } catch (e) {
    // Shown as such (the audit says more); the tail must not stall on one entry.
    return { task: null, error: `${(e as { code?: string }).code ?? 'UNDECODABLE'}: ${(e as Error).message}` }
  }
}

/**
 * Follows the node's public task log (`GET /log`, CBOR) from its last `backlog` entries: fetches what is new when `poke`d
 * (on the stream's receipts events) and every `intervalMs` anyway, decodes every entry with the
 * protocol core (an entry that does not decode is kept, marked, and does not stop the tail) and tells
 * its listeners. Keeps the newest `keep` entries.
 *
 * @example
 * const tail = new LogTail(client, hash)
 * tail.onEntries((items) => render(items))
 * tail.start()
 */
export class LogTail {
  private next = 1
  private busy = false
  private again = false
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly listeners = new Set<(items: LogItem[]) => void>()
  readonly items: LogItem[] = []
  /** The node's tip seq at the last fetch. */
  tipSeq = 0
  lastError: unknown

  constructor(
    private readonly client: LagoonClient,
    private readonly hash: Blake2b256,
    private readonly options: { intervalMs?: number; keep?: number; pageSize?: number; backlog?: number } = {},
  ) {}

  /** Starts polling from the last `backlog` entries (default 1,000) of the log, and fetches now. */
  async start(): Promise<void> {
    try {
      const { seq } = await this.client.getState()
      this.next = Math.max(1, seq - (this.options.backlog ?? 1000) + 1)
    } catch (e) {
      this.lastError = e
    }
    this.timer = setInterval(() => this.poke(), this.options.intervalMs ?? 2000)
    this.poke()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
  }

  /** Calls `f` with every batch of new entries. */
  onEntries(f: (items: LogItem[]) => void): () => void {
    this.listeners.add(f)
    return () => this.listeners.delete(f)
  }

  /** Fetches what is new now (coalesces calls made while a fetch runs). */
  poke(): void {
    if (this.busy) {
      this.again = true
      return
    }
    this.busy = true
    void this.fetchAll().finally(() => {
      this.busy = false
      if (this.again) {
        this.again = false
        this.poke()
      }
    })
  }

  private async fetchAll(): Promise<void> {
    try {
      for (;;) {
        const page = await this.client.getLogPage({ from: this.next, limit: this.options.pageSize ?? 2000 })
        this.tipSeq = page.tipSeq
        if (page.entries.length === 0) break
        const fresh = page.entries.map((e) => ({ seq: e.seq, head: toHex(e.head), ...decode(e.bytes, this.hash) }))
        this.next = page.nextFrom
        this.items.push(...fresh)
        const keep = this.options.keep ?? 5000
        if (this.items.length > keep) this.items.splice(0, this.items.length - keep)
        for (const f of this.listeners) f(fresh)
        if (page.entries.length < (this.options.pageSize ?? 2000)) break
      }
      this.lastError = undefined
    } catch (e) {
      this.lastError = e
    }
  }
}
