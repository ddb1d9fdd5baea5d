import { SseParser, type SseMessage, type SseParserOptions } from './SseParser.js'

/**
 * Options of {@link readSse}.
 *
 * @example
 * readSse(res.body!, { signal, request: 'GET /log/stream' })
 */
export interface ReadSseOptions extends SseParserOptions {
  /** The parser to feed (to read its `lastEventId` and `retryMs` afterwards); default a new one with these options. */
  readonly parser?: SseParser
  /** Stops reading (the generator returns) and closes the stream. */
  readonly signal?: AbortSignal
}

const noop = (): void => {}

/**
 * Reads Server-Sent Events from a response body (untrusted): yields the events completed by each
 * network chunk together, so a caller can apply a group at a time. Frames are bounded
 * (`SseParser`: `SSE_FRAME_TOO_LARGE` past `maxFrameLength`). However the loop ends (the stream's
 * end, `signal`, an error, the caller breaking out), the body is cancelled and the connection closed.
 * The one SSE reader of the SDK: `watch` and the relay's log stream go through it.
 *
 * @example
 * for await (const events of readSse(res.body!, { signal })) for (const e of events) console.log(e.event, e.data)
 */
export async function* readSse(body: ReadableStream<Uint8Array>, options: ReadSseOptions = {}): AsyncGenerator<SseMessage[], void, undefined> {
  const parser = options.parser ?? new SseParser(options)
  const decoder = new TextDecoder()
  const reader = body.getReader()
  const { signal } = options
  const abort = (): void => void reader.cancel().catch(noop)
  signal?.addEventListener('abort', abort, { once: true })
  try {
    if (signal?.aborted) return
    for (;;) {
      const { value, done } = await reader.read()
      if (done || signal?.aborted) return
      const events = parser.push(decoder.decode(value, { stream: true }))
      if (events.length > 0) yield events
    }
  } finally {
    signal?.removeEventListener('abort', abort)
    await reader.cancel().catch(noop)
    reader.releaseLock()
  }
}
