import type { Batch, LagoonClient } from '../../../sdk/src/index.js'
import type { NodeStream } from './NodeStream.js'

/** A batch (a commitment of a root on layer 1), as `GET /batches` and the stream's batch events give it (events carry no deposits). */
export type BatchInfo = Omit<Batch, 'status' | 'deposits'> & { readonly status: string; readonly deposits?: readonly string[] }

type RawBatch = Partial<BatchInfo> & { number: number; root: string; fromSeq?: number; toSeq?: number }

function normalize(b: RawBatch, old?: BatchInfo): BatchInfo {
  return {
    number: b.number,
    root: b.root,
    firstSeq: b.firstSeq ?? b.fromSeq ?? old?.firstSeq ?? 0,
    lastSeq: b.lastSeq ?? b.toSeq ?? old?.lastSeq ?? 0,
    logHead: b.logHead ?? old?.logHead ?? '',
    l1Tx: b.l1Tx ?? old?.l1Tx ?? null,
    status: b.status ?? old?.status ?? 'pending',
    ...(b.deposits ?? old?.deposits ? { deposits: b.deposits ?? old?.deposits ?? [] } : {}),
  }
}

/**
 * The node's batches, kept current: loaded from `GET /batches`, updated by the stream's `batch`
 * events, and re-read every `intervalMs` (a missed event heals).
 *
 * @example
 * const batches = new BatchStore(client, stream)
 * batches.onChange((all) => render(all))
 */
export class BatchStore {
  private readonly byNumber = new Map<number, BatchInfo>()
  private readonly listeners = new Set<(all: BatchInfo[]) => void>()
  lastError: unknown

  constructor(
    private readonly client: LagoonClient,
    stream: NodeStream,
    intervalMs = 3000,
  ) {
    stream.on('batch', (b) => {
      this.byNumber.set(b.number, normalize(b, this.byNumber.get(b.number)))
      this.emit()
    })
    setInterval(() => void this.refresh(), intervalMs)
    void this.refresh()
  }

  /** Every batch, oldest first. */
  all(): BatchInfo[] {
    return [...this.byNumber.values()].sort((a, b) => a.number - b.number)
  }

  /** The first confirmed batch whose log range reaches `seq`. */
  confirmedCovering(seq: number): BatchInfo | undefined {
    return this.all().find((b) => b.status === 'confirmed' && b.lastSeq >= seq)
  }

  onChange(f: (all: BatchInfo[]) => void): () => void {
    this.listeners.add(f)
    return () => this.listeners.delete(f)
  }

  async refresh(): Promise<void> {
    try {
      let from = 0
      for (;;) {
        const page = await this.client.request<RawBatch[]>({ method: 'GET', path: `/batches?from=${from}&limit=1000` })
        for (const b of page) this.byNumber.set(b.number, normalize(b, this.byNumber.get(b.number)))
        if (page.length < 1000) break
        from = page[page.length - 1]!.number + 1
      }
      this.lastError = undefined
      this.emit()
    } catch (e) {
      this.lastError = e
    }
  }

  private emit(): void {
    const all = this.all()
    for (const f of this.listeners) f(all)
  }
}
