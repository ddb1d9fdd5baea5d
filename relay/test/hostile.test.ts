/**
 * A hostile node cannot exhaust a relay (issue 14, item 4): against a real HTTP server serving an
 * endless `/log` page, an endless `/batches` body, a `/log` dripping a byte a second and a log stream
 * without frame terminators, the relay stops each read within a bounded time and memory, logs the
 * code, keeps its checked state and tries again later.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { maxLogPageBytes, DEFAULT_LIMITS, NetworkError } from '@lagoon/sdk'
import { tempDir } from '../../sequencer/test/support/harness.js'
import { dripping, emptyLog, endless, INSTANCE_JSON, json, startHostileNode, type HostileHandler, type HostileNode } from '../../sdk/test/support/hostileNode.js'
import { Relay, type RelayOptions } from '../src/index.js'

interface Line {
  readonly level: string
  readonly msg: string
  readonly fields: Record<string, unknown>
}

const open: { relay?: Relay; node?: HostileNode }[] = []
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.relay?.close()
    await o.node?.close()
  }
})

/** A relay following a hostile node with `routes` (an honest instance, empty log and batches, no stream by default). */
async function follow(routes: Record<string, HostileHandler>, options: Partial<RelayOptions> = {}) {
  const node = await startHostileNode({ '/instance': json(INSTANCE_JSON), '/log': emptyLog, '/batches': json([]), ...routes })
  const lines: Line[] = []
  const relay = await Relay.open({
    from: node.url,
    db: join(tempDir(), 'relay.db'),
    verifyWorkers: 0,
    pollMs: 50,
    log: (level, msg, fields = {}) => lines.push({ level, msg, fields }),
    ...options,
  })
  open.push({ relay, node })
  const started = Date.now()
  relay.start()
  /** The first log line with `code`, waited for at most `ms`; with the time it took. */
  const failure = async (code: string, ms = 20_000): Promise<{ line: Line; afterMs: number }> => {
    while (Date.now() - started < ms) {
      const line = lines.find((l) => l.fields.code === code)
      if (line) return { line, afterMs: Date.now() - started }
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error(`no ${code} logged in ${ms} ms; the relay logged ${JSON.stringify(lines)}`)
  }
  return { node, relay, lines, failure }
}

describe('a relay against a hostile node', () => {
  it('an endless GET /log page: RESPONSE_TOO_LARGE at the page bound, once a try, memory bounded', async () => {
    const rss = process.memoryUsage().rss
    const pageSize = 500
    const { node, relay, failure } = await follow({ '/log': endless('application/cbor', new Uint8Array(64 * 1024), Uint8Array.of(0x9f), { 'lagoon-log-seq': '9' }) }, { pageSize })
    const { line, afterMs } = await failure('RESPONSE_TOO_LARGE')
    expect(line).toMatchObject({ level: 'warn', msg: 'following the node failed; retrying' })
    expect(afterMs).toBeLessThan(5000)
    // Not retried within the attempt (no honest node sends it), and each try read at most the bound.
    const bound = maxLogPageBytes(pageSize, DEFAULT_LIMITS)
    expect(node.to('/log').length).toBe(1)
    for (const r of node.to('/log')) expect(r.bytesSent).toBeLessThan(bound + 8 * 1024 * 1024)
    expect(relay.status()).toMatchObject({ status: 'syncing', seq: 0 })
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024)
  })

  it('an endless GET /batches body: RESPONSE_TOO_LARGE, the connection closed', async () => {
    const { node, failure } = await follow({ '/batches': endless('application/json', '{"number":1,"root":"00","lastSeq":0,"status":"confirmed"},', '[') })
    const { afterMs } = await failure('RESPONSE_TOO_LARGE')
    expect(afterMs).toBeLessThan(10_000)
    for (let i = 0; i < 100 && node.to('/batches')[0]!.closedAfterMs === undefined; i++) await new Promise((r) => setTimeout(r, 20))
    expect(node.to('/batches')[0]!.closedAfterMs).toBeDefined()
    expect(node.to('/batches')[0]!.bytesSent).toBeLessThan(16 * 1024 * 1024 + 8 * 1024 * 1024)
  })

  it('a GET /log dripping a byte a second: BODY_TIMEOUT at the relay’s deadline, logged', async () => {
    const { node, relay, failure } = await follow({ '/log': dripping('application/cbor', Uint8Array.of(0x9f), 1000, { 'lagoon-log-seq': '9' }) }, { timeoutMs: 500 })
    const { line, afterMs } = await failure('BODY_TIMEOUT')
    expect(line.fields.error).toMatch(/the log could not be downloaded after seq 0/)
    // Logged after one try cut at the deadline (the relay's own loop tries again later, with back-off).
    expect(node.to('/log').length).toBe(1)
    expect(afterMs).toBeLessThan(500 + 3000)
    expect(relay.status().status).toBe('syncing')
  })

  it('a GET /log/stream that never ends a frame: SSE_FRAME_TOO_LARGE, then it reconnects', async () => {
    const rss = process.memoryUsage().rss
    const { node, relay, failure } = await follow({ '/log/stream': endless('text/event-stream', 'data: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') })
    const { afterMs } = await failure('SSE_FRAME_TOO_LARGE')
    expect(afterMs).toBeLessThan(10_000)
    expect(relay.status()).toMatchObject({ status: 'live', seq: 0 })
    for (let i = 0; i < 200 && node.to('/log/stream').length < 2; i++) await new Promise((r) => setTimeout(r, 25))
    expect(node.to('/log/stream').length).toBeGreaterThanOrEqual(2)
    expect(node.to('/log/stream')[0]!.closedAfterMs).toBeDefined()
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024)
  })

  it('an endless GET /instance at open: the relay does not open, with RESPONSE_TOO_LARGE', async () => {
    const node = await startHostileNode({ '/instance': endless('application/json', ' '.repeat(65536), '[') })
    open.push({ node })
    const e = await Relay.open({ from: node.url, db: join(tempDir(), 'relay.db'), verifyWorkers: 0 }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(NetworkError)
    expect((e as NetworkError).code).toBe('RESPONSE_TOO_LARGE')
  })
})
