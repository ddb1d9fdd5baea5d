/** One parsed Server-Sent Event (comments are kept as event `comment`). */
export interface SseEvent {
  readonly event: string
  readonly data: string
  readonly id?: string
}

/** An SSE connection read through fetch: its status, the events seen so far, and waits on them. */
export interface SseConnection {
  readonly status: number
  readonly headers: Headers
  /** Every event received, in order (comments included as `{ event: 'comment' }`). */
  readonly events: SseEvent[]
  /** The JSON data of the events named `name`. */
  data<T = any>(name: string): T[]
  /** Resolves once `pred(events)` holds; rejects after `timeoutMs`. */
  until(pred: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<void>
  /** Resolves when the server ends the stream (or it errors). */
  readonly ended: Promise<'end' | 'error'>
  close(): void
}

/**
 * Opens an SSE stream with fetch and parses it as it arrives (a test client).
 *
 * @example
 * const s = await openSse(`${url}/stream?events=stats`)
 * await s.until((ev) => ev.some((e) => e.event === 'stats'))
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const abort = new AbortController()
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal })
  const events: SseEvent[] = []
  const waiters = new Set<() => void>()
  const notify = () => {
    for (const w of [...waiters]) w()
  }
  let buf = ''
  const parse = (block: string) => {
    let event = 'message'
    const data: string[] = []
    let id: string | undefined
    let comment = false
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comment = true
      else if (line.startsWith('event: ')) event = line.slice(7)
      else if (line.startsWith('data: ')) data.push(line.slice(6))
      else if (line.startsWith('id: ')) id = line.slice(4)
    }
    if (comment && data.length === 0) events.push({ event: 'comment', data: block.slice(1).trim() })
    else if (data.length > 0) events.push({ event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) })
  }
  const ended = (async (): Promise<'end' | 'error'> => {
    if (!res.body) return 'end'
    const reader = res.body.getReader()
    const dec = new TextDecoder()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return 'end'
        buf += dec.decode(value, { stream: true })
        let i: number
        while ((i = buf.indexOf('\n\n')) >= 0) {
          parse(buf.slice(0, i))
          buf = buf.slice(i + 2)
        }
        notify()
      }
    } catch {
      return 'error'
    } finally {
      notify()
    }
  })()
  let done = false
  void ended.then(() => {
    done = true
    notify()
  })
  return {
    status: res.status,
    headers: res.headers,
    events,
    data: (name) => events.filter((e) => e.event === name).map((e) => JSON.parse(e.data)),
    until(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pred(events)) {
            cleanup()
            resolve()
          } else if (done) {
            cleanup()
            reject(new Error(`stream ended before the condition held (${events.length} events)`))
          }
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out after ${timeoutMs} ms with ${events.length} events`))
        }, timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
    ended,
    close: () => abort.abort(),
  }
}
