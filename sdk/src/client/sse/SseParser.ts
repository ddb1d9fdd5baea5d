/** One Server-Sent Event. */
export interface SseMessage {
  /** The `event:` field; `message` when absent. */
  readonly event: string
  /** The `data:` lines joined with `\n`. */
  readonly data: string
  /** The `id:` field, when given. */
  readonly id?: string
}

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML, "Server-sent events"): feed it
 * decoded text in chunks of any size; it returns the complete events. Comments (`: ping`) and events
 * without data are dropped; `retry:` is exposed as `retryMs`.
 *
 * @example
 * const p = new SseParser()
 * p.push('event: batch\ndata: {"number":1}\n\n') // [{ event: 'batch', data: '{"number":1}' }]
 */
export class SseParser {
  private buffer = ''
  private event = ''
  private data: string[] = []
  private id: string | undefined
  /** The last event id seen (for `Last-Event-ID` on reconnect). */
  lastEventId: string | undefined
  /** The server's reconnection delay, when it sent `retry:`. */
  retryMs: number | undefined

  push(chunk: string): SseMessage[] {
    this.buffer += chunk
    const out: SseMessage[] = []
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer)
      if (!m) break
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) break
      const line = this.buffer.slice(0, m.index)
      this.buffer = this.buffer.slice(m.index + m[0].length)
      if (line === '') {
        if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) })
        if (this.id !== undefined) this.lastEventId = this.id
        this.event = ''
        this.data = []
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      let value = colon < 0 ? '' : line.slice(colon + 1)
      if (value.startsWith(' ')) value = value.slice(1)
      if (field === 'event') this.event = value
      else if (field === 'data') this.data.push(value)
      else if (field === 'id' && !value.includes('\0')) this.id = value
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value)
    }
    return out
  }
}
