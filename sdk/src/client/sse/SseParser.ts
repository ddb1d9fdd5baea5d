import { NetworkError } from '../errors.js'

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
 * The longest frame (every line up to the blank line that ends it, comments included) a parser holds
 * by default: 4 Mi characters. The node's largest frames are `receipts` events of a full group commit
 * (under 1 MiB); a log entry is under 17 KiB.
 */
export const DEFAULT_MAX_SSE_FRAME = 4 * 1024 * 1024

/**
 * Options of {@link SseParser}.
 *
 * @example
 * new SseParser({ maxFrameLength: 1 << 20, request: 'GET /log/stream' })
 */
export interface SseParserOptions {
  /** Most characters of one unfinished frame; past it `push` throws `SSE_FRAME_TOO_LARGE`. Default `DEFAULT_MAX_SSE_FRAME`. */
  readonly maxFrameLength?: number
  /** The stream's request, as `METHOD /path`, for the error message. */
  readonly request?: string
}

const LINE_END = /\r\n|\r|\n/g
const ANY_LINE_END = /[\r\n]/

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML, "Server-sent events"): feed it
 * decoded text in chunks of any size; it returns the complete events. Comments (`: ping`) and events
 * without data are dropped; `retry:` is exposed as `retryMs`. The stream is untrusted: a frame that
 * grows past `maxFrameLength` without its terminating blank line (a stream with no terminators, or
 * endless `data:` lines) throws `NetworkError('SSE_FRAME_TOO_LARGE')`, so memory stays bounded.
 *
 * @example
 * const p = new SseParser()
 * p.push('event: batch\ndata: {"number":1}\n\n') // [{ event: 'batch', data: '{"number":1}' }]
 */
export class SseParser {
  /** The unfinished line, in the chunks it came in (joined only once a line end comes: no copy per chunk). */
  private pending: string[] = []
  private pendingLength = 0
  /** Characters of the current frame's lines already consumed (the unfinished line is `pending`). */
  private frameLength = 0
  private event = ''
  private data: string[] = []
  private id: string | undefined
  private readonly maxFrameLength: number
  private readonly request: string
  /** The last event id seen (for `Last-Event-ID` on reconnect). */
  lastEventId: string | undefined
  /** The server's reconnection delay, when it sent `retry:`. */
  retryMs: number | undefined

  constructor(options: SseParserOptions = {}) {
    this.maxFrameLength = options.maxFrameLength ?? DEFAULT_MAX_SSE_FRAME
    this.request = options.request ?? 'the event stream'
  }

  /** Parses `chunk` (after what came before); returns the events it completes. */
  push(chunk: string): SseMessage[] {
    const held = this.pendingLength
    // A chunk that ends no line (and follows no held \r, which may be the first half of \r\n) only
    // lengthens the unfinished line: keep it as is.
    if (!ANY_LINE_END.test(chunk) && (held === 0 || !this.pending[this.pending.length - 1]!.endsWith('\r'))) {
      this.hold(chunk)
      return []
    }
    const text = held === 0 ? chunk : this.pending.join('') + chunk
    this.pending = []
    this.pendingLength = 0
    const out: SseMessage[] = []
    let at = 0
    // The text held from before has no line end (but perhaps a final \r): look after it.
    let from = Math.max(0, held - 1)
    for (;;) {
      LINE_END.lastIndex = from
      const m = LINE_END.exec(text)
      if (!m) break
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (m[0] === '\r' && m.index === text.length - 1) break
      const line = text.slice(at, m.index)
      at = m.index + m[0].length
      from = at
      if (line === '') {
        if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) })
        if (this.id !== undefined) this.lastEventId = this.id
        this.event = ''
        this.data = []
        this.frameLength = 0
        continue
      }
      this.frameLength += line.length + m[0].length
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
    if (at < text.length) this.hold(at === 0 ? text : text.slice(at))
    else if (this.frameLength > this.maxFrameLength) throw this.tooLarge()
    return out
  }

  /**
   * Keeps text of the unfinished line, and checks the frame's bound: once a chunk (a chunk is a
   * network read, so memory stays within the bound plus one read).
   */
  private hold(text: string): void {
    this.pending.push(text)
    this.pendingLength += text.length
    if (this.frameLength + this.pendingLength > this.maxFrameLength) throw this.tooLarge()
  }

  private tooLarge(): NetworkError {
    const length = this.frameLength + this.pendingLength
    return new NetworkError('SSE_FRAME_TOO_LARGE', `${this.request}: an event frame grew past ${this.maxFrameLength} characters without ending`, {
      request: this.request,
      details: { maxFrameLength: this.maxFrameLength, length },
    })
  }
}
