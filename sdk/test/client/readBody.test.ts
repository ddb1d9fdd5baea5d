/**
 * Every read of a node's answer is bounded (issue 14, item 4): against a hostile HTTP server on a real
 * socket, the client stops within a bounded time and memory with a stable code, and hangs up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../src/core/limits.js'
import { createLagoonClient, maxLogPageBytes, NetworkError, readSse, SseParser, type StreamEvent } from '../../src/index.js'
import { dripping, endless, INSTANCE_JSON, json, startHostileNode, type HostileNode } from '../support/hostileNode.js'

let h: HostileNode
beforeAll(async () => {
  h = await startHostileNode({
    '/instance': json(INSTANCE_JSON),
    // An endless log page: a CBOR indefinite array that never ends.
    '/log': endless('application/cbor', new Uint8Array(64 * 1024), Uint8Array.of(0x9f), { 'lagoon-log-seq': '1' }),
    '/batches': endless('application/json', '{"number":1,"root":"00","lastSeq":1,"status":"confirmed"},', '['),
    '/state': dripping('application/json', '{"seq":', 1000),
    '/declared': (_req, res, r) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1 << 30) })
      r.bytesSent += 1
      res.write('[')
    },
    '/accounts/ab': endless('application/json', 'x'.repeat(65536), '', {}),
    '/stream': endless('text/event-stream', 'data: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'),
    '/log/stream': endless('text/event-stream', 'data: x\n'),
  })
})
afterAll(() => h?.close())

/** Waits (a little) for the server to see the client hang up on the last request to `path`. */
async function hungUp(path: string): Promise<number> {
  for (let i = 0; i < 100 && h.to(path).at(-1)?.closedAfterMs === undefined; i++) await new Promise((r) => setTimeout(r, 20))
  return h.to(path).at(-1)!.closedAfterMs!
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p
    return 'resolved'
  } catch (e) {
    return e instanceof NetworkError ? e.code : String(e)
  }
}

describe('reading a hostile node', () => {
  it('an endless GET /log page: RESPONSE_TOO_LARGE at the page bound, checked while it streams', async () => {
    const client = createLagoonClient({ url: h.url })
    const rssBefore = process.memoryUsage().rss
    const started = Date.now()
    const e = await client.getLogPage({ from: 1, limit: 100 }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(NetworkError)
    expect((e as NetworkError).code).toBe('RESPONSE_TOO_LARGE')
    expect((e as NetworkError).retryable).toBe(false)
    expect(Date.now() - started).toBeLessThan(5000)
    await hungUp('/log')
    const bound = maxLogPageBytes(100, DEFAULT_LIMITS)
    // The server got through at most the bound plus what the socket buffers hold.
    expect(h.to('/log').at(-1)!.bytesSent).toBeLessThan(bound + 8 * 1024 * 1024)
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024)
  })

  it('an endless JSON body (GET /batches) and an oversized one (any JSON route): RESPONSE_TOO_LARGE at maxResponseBytes', async () => {
    const client = createLagoonClient({ url: h.url, maxResponseBytes: 2 * 1024 * 1024 })
    expect(await codeOf(client.getBatches({ from: 0, limit: 1000 }))).toBe('RESPONSE_TOO_LARGE')
    await hungUp('/batches')
    expect(h.to('/batches').at(-1)!.bytesSent).toBeLessThan(2 * 1024 * 1024 + 8 * 1024 * 1024)
    expect(await codeOf(client.request({ method: 'GET', path: '/accounts/ab' }))).toBe('RESPONSE_TOO_LARGE')
    // A declared length past the bound is refused before reading it.
    expect(await codeOf(client.request({ method: 'GET', path: '/declared' }))).toBe('RESPONSE_TOO_LARGE')
    await hungUp('/declared')
  })

  it('a body dripping a byte a second: BODY_TIMEOUT at the client deadline (headers and body together)', async () => {
    const client = createLagoonClient({ url: h.url, timeoutMs: 700 })
    const started = Date.now()
    expect(await codeOf(client.getState())).toBe('BODY_TIMEOUT')
    const took = Date.now() - started
    expect(took).toBeGreaterThanOrEqual(650)
    expect(took).toBeLessThan(3000)
    expect(await hungUp('/state')).toBeLessThan(3000)
  })

  it('an event stream without frame terminators: SSE_FRAME_TOO_LARGE (one endless line, or endless data lines)', async () => {
    for (const path of ['/stream', '/log/stream']) {
      const res = await fetch(h.url + path)
      const started = Date.now()
      const e = await (async () => {
        for await (const _ of readSse(res.body!, { maxFrameLength: 256 * 1024, request: `GET ${path}` })) void _
      })().catch((x: unknown) => x)
      expect(e, path).toBeInstanceOf(NetworkError)
      expect((e as NetworkError).code).toBe('SSE_FRAME_TOO_LARGE')
      expect(Date.now() - started).toBeLessThan(5000)
      await hungUp(path)
      expect(h.to(path).at(-1)!.bytesSent).toBeLessThan(256 * 1024 * 2 + 8 * 1024 * 1024)
    }
  })

  it('watch: reports SSE_FRAME_TOO_LARGE to onError and reconnects', async () => {
    const client = createLagoonClient({ url: h.url })
    const errors: unknown[] = []
    await new Promise<void>((resolve) => {
      const stop = client.watch({
        reconnectDelayMs: 10,
        onEvent: (_e: StreamEvent) => undefined,
        onError: (e) => {
          errors.push(e)
          if (errors.length === 2) (stop(), resolve())
        },
      })
    })
    expect(errors.map((e) => (e as NetworkError).code)).toEqual(['SSE_FRAME_TOO_LARGE', 'SSE_FRAME_TOO_LARGE'])
  }, 30_000)
})

describe('SseParser bounds', () => {
  it('holds a frame up to maxFrameLength, then throws; a blank line starts the count again', () => {
    const p = new SseParser({ maxFrameLength: 40 })
    expect(p.push(`data: ${'a'.repeat(30)}\n\n`)).toEqual([{ event: 'message', data: 'a'.repeat(30) }])
    expect(p.push(`data: ${'b'.repeat(30)}\n\n`)).toHaveLength(1) // each frame counted on its own
    expect(() => p.push('data: 0123456789\n'.repeat(3))).toThrow(expect.objectContaining({ code: 'SSE_FRAME_TOO_LARGE' }))
    expect(() => new SseParser({ maxFrameLength: 40 }).push('x'.repeat(41))).toThrow(expect.objectContaining({ code: 'SSE_FRAME_TOO_LARGE' }))
    expect(() => new SseParser({ maxFrameLength: 40 }).push(': comment without end, '.repeat(2))).toThrow(/grew past 40 characters/)
  })
})
