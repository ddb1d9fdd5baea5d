const encoder = new TextEncoder()

/**
 * One Server-Sent Events frame, encoded once so that it can be queued to every client as is.
 * `data` is JSON on one line (JSON.stringify never emits a raw newline).
 *
 * @example
 * sseFrame('stats', { seq: 1 }) // bytes of 'event: stats\ndata: {"seq":1}\n\n'
 * sseFrame('task', entry, 42)   // with 'id: 42', what EventSource sends back as Last-Event-ID
 */
export function sseFrame(event: string, data: unknown, id?: number | string): Uint8Array {
  return encoder.encode(sseText(event, data, id))
}

/**
 * The text of one frame (to concatenate several into one chunk).
 *
 * @example
 * sseText('task', { seq: 1 }, 1) // 'id: 1\nevent: task\ndata: {"seq":1}\n\n'
 */
export function sseText(event: string, data: unknown, id?: number | string): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

/**
 * An SSE comment (`: text`), ignored by clients: keeps idle connections and proxies alive.
 *
 * @example
 * sseComment('ping')
 */
export function sseComment(text: string): Uint8Array {
  return encoder.encode(`: ${text}\n\n`)
}

/** Encodes text to bytes (one shared encoder). */
export const utf8 = (s: string): Uint8Array => encoder.encode(s)
