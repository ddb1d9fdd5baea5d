/**
 * One Server-Sent Event.
 *
 * @example
 * const e: SseEvent = { event: 'task', data: '{"seq":1}', id: '1' }
 */
export interface SseEvent {
  readonly event: string
  readonly data: string
  readonly id?: string
}

/**
 * Reads Server-Sent Events from a fetch response body; yields the events of each network chunk
 * together (so a caller can apply a group at a time). Comments (`: ping`) are skipped.
 *
 * @example
 * for await (const events of readSse(res.body!)) for (const e of events) console.log(e.event, e.data)
 */
export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseEvent[], void, undefined> {
  const decoder = new TextDecoder()
  const reader = body.getReader()
  const abort = () => void reader.cancel().catch(() => undefined)
  signal?.addEventListener('abort', abort, { once: true })
  let buf = ''
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buf += decoder.decode(value, { stream: true })
      const out: SseEvent[] = []
      for (;;) {
        const end = buf.indexOf('\n\n')
        if (end < 0) break
        const frame = buf.slice(0, end)
        buf = buf.slice(end + 2)
        let event = 'message'
        let id: string | undefined
        const data: string[] = []
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue
          const i = line.indexOf(':')
          const field = i < 0 ? line : line.slice(0, i)
          const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
          if (field === 'event') event = value
          else if (field === 'data') data.push(value)
          else if (field === 'id') id = value
        }
        if (data.length > 0) out.push({ event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) })
      }
      if (out.length > 0) yield out
    }
  } finally {
    signal?.removeEventListener('abort', abort)
    reader.releaseLock()
  }
}
