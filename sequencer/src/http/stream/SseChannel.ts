import { utf8 } from './sseFrame.js'

/** Why a channel ended: the client left, it fell behind its bound, or the node closed it. */
export type ChannelEnd = 'disconnected' | 'slow' | 'closed'

/** The headers of every SSE response. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
}

/**
 * One SSE client: a web `ReadableStream` whose queue is bounded in bytes. `@hono/node-server` reads
 * it only as fast as the socket drains, so a slow client's unsent frames pile up here, where they are
 * counted: a push producer that would pass `maxBytes` drops the client (`send` → false, the queue is
 * discarded and the socket closed); a pull producer (the log stream) waits for `whenRoom()` instead.
 * When the client goes away the stream is cancelled and `onEnd` runs once, which releases everything
 * the producer holds for it.
 *
 * @example
 * const ch = new SseChannel(1 << 20, (why) => clients.delete(ch))
 * ch.send(sseFrame('stats', stats))
 * return ch.response
 */
export class SseChannel {
  readonly response: Response
  private controller!: ReadableStreamDefaultController<Uint8Array>
  private ended: ChannelEnd | null = null
  private waiters: { bytes: number; resolve: () => void }[] = []

  constructor(
    readonly maxBytes: number,
    private readonly onEnd: (why: ChannelEnd) => void,
    headers: Record<string, string> = {},
    /** Closes the client's connection at once (the Node response's `destroy`), when there is one. */
    private readonly abort?: () => void,
  ) {
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.controller = c
        },
        pull: () => this.wake(),
        cancel: () => this.end('disconnected'),
      },
      { highWaterMark: maxBytes, size: (chunk) => chunk.byteLength },
    )
    this.response = new Response(stream as ReadableStream<Uint8Array<ArrayBuffer>>, { status: 200, headers: { ...SSE_HEADERS, ...headers } })
    // Something to flush the headers at once; EventSource reconnects after 3 s.
    this.controller.enqueue(utf8('retry: 3000\n\n'))
  }

  /** Bytes queued and not yet taken by the socket. */
  get buffered(): number {
    return this.ended ? 0 : this.maxBytes - (this.controller.desiredSize ?? 0)
  }

  /** Why the channel ended, or null while it is open. */
  get endedBy(): ChannelEnd | null {
    return this.ended
  }

  /**
   * Queues a frame; false if the channel has ended or the frame would pass the bound (the client is
   * then dropped as `slow`).
   *
   * @example
   * if (!ch.send(frame)) clients.delete(ch)
   */
  send(frame: Uint8Array): boolean {
    if (this.ended) return false
    if (this.buffered + frame.byteLength > this.maxBytes) {
      this.end('slow')
      return false
    }
    this.controller.enqueue(frame)
    return true
  }

  /**
   * Queues a frame without the bound check, for a pull producer that waited for `whenRoom()` (a frame
   * larger than the bound still goes out once the queue is empty). False if the channel has ended.
   *
   * @example
   * await ch.whenRoom(); ch.push(frame)
   */
  push(frame: Uint8Array): boolean {
    if (this.ended) return false
    this.controller.enqueue(frame)
    return true
  }

  /**
   * Resolves once `bytes` more fit under the bound (or the queue is empty, or the channel ended): for
   * producers that pull. The default waits for the queue to be at most half full.
   *
   * @example
   * await ch.whenRoom(frame.byteLength); ch.push(frame)
   */
  whenRoom(bytes = this.maxBytes / 2): Promise<void> {
    if (this.fits(bytes)) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ bytes, resolve }))
  }

  /**
   * Ends the channel: `closed` finishes the stream (what is queued is still sent); `slow` discards the
   * queue and aborts the response.
   *
   * @example
   * ch.end('closed')
   */
  end(why: ChannelEnd): void {
    if (this.ended) return
    this.ended = why
    try {
      // Dropping: close the socket (the server then cancels the stream, discarding its queue); without
      // a socket, fail the stream.
      if (why === 'slow') this.abort ? this.abort() : this.controller.error(new Error('the client reads too slowly: dropped'))
      else if (why === 'closed') this.controller.close()
    } catch {
      /* already closed by the consumer */
    }
    this.wake()
    this.onEnd(why)
  }

  private fits(bytes: number): boolean {
    const b = this.buffered
    return this.ended !== null || b === 0 || b + bytes <= this.maxBytes
  }

  private wake(): void {
    if (this.waiters.length === 0) return
    const still: typeof this.waiters = []
    for (const w of this.waiters) {
      if (this.fits(w.bytes)) w.resolve()
      else still.push(w)
    }
    this.waiters = still
  }
}
