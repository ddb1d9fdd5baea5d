import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, type TestNode } from '../../../sequencer/test/support/harness.js'
import { toHex } from '../../src/core/bytes.js'
import { createLagoonClient, LayerOneError, parseInstanceInfo, SseParser, type StreamEvent } from '../../src/index.js'
import { INSTANCE, l1Hash, user } from '../support/world.js'

describe('SseParser', () => {
  it('parses events split anywhere, CRLF and CR line ends, multi-line data, comments, ids and retry', () => {
    const text = ': ping\r\nevent: batch\r\ndata: {"a":\r\ndata: 1}\r\nid: 7\r\n\r\nretry: 2500\ndata: plain\n\nevent: x\rdata: cr\r\r\n'
    for (const size of [1, 2, 3, 7, text.length]) {
      const p = new SseParser()
      const got = []
      for (let i = 0; i < text.length; i += size) got.push(...p.push(text.slice(i, i + size)))
      expect(got).toEqual([
        { event: 'batch', data: '{"a":\n1}', id: '7' },
        { event: 'message', data: 'plain', id: '7' },
        { event: 'x', data: 'cr', id: '7' },
      ])
      expect(p.lastEventId).toBe('7')
      expect(p.retryMs).toBe(2500)
    }
  })

  it('drops events without data and keeps an unfinished event for the next chunk', () => {
    const p = new SseParser()
    expect(p.push('event: nothing\n\nevent: stats\ndata: {}')).toEqual([])
    expect(p.push('\n\n')).toEqual([{ event: 'stats', data: '{}' }])
  })
})

describe('watch: the live stream through fetch, with reconnection', () => {
  let server: Server
  let url: string
  const requests: IncomingMessage[] = []
  beforeAll(async () => {
    // Each connection sends one event with the next id, then closes: the client must reconnect.
    let n = 0
    server = createServer((req, res) => {
      requests.push(req)
      n++
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(`: ping\n\nid: ${n}\nevent: stats\ndata: {"time":${n},"seq":${n},"tps":0,"queueDepth":0,"accounts":0}\n\nevent: unknown\ndata: {}\n\n`)
      res.end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('reconnects after the server closes, sending Last-Event-ID, the token and the event filter', async () => {
    const client = createLagoonClient({ url, token: 'secret' })
    const seen: StreamEvent[] = []
    let opens = 0
    await new Promise<void>((resolve) => {
      const stop = client.watch({
        events: ['stats', 'batch'],
        reconnectDelayMs: 10,
        onOpen: () => opens++,
        onEvent: (e) => {
          seen.push(e)
          if (seen.length === 3) {
            stop()
            resolve()
          }
        },
      })
    })
    expect(seen.map((e) => [e.type, (e.data as { seq: number }).seq])).toEqual([['stats', 1], ['stats', 2], ['stats', 3]])
    expect(opens).toBeGreaterThanOrEqual(3)
    expect(requests[0]!.url).toBe('/stream?events=stats,batch')
    expect(requests[0]!.headers.authorization).toBe('Bearer secret')
    expect(requests[0]!.headers['last-event-id']).toBeUndefined()
    expect(requests[1]!.headers['last-event-id']).toBe('1')
    expect(requests[2]!.headers['last-event-id']).toBe('2')
  })

  it('refuses an unknown event name', () => {
    expect(() => createLagoonClient({ url }).watch({ events: ['nope' as 'stats'], onEvent: () => {} })).toThrow(/unknown stream event "nope"/)
  })
})

describe('watch and getInstance against a real node without layer 1', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await startTestNode(undefined, { open: true })
  })
  afterAll(async () => {
    await t.stop()
  })

  it("receives the receipts of the node's group commits as they happen", async () => {
    const client = createLagoonClient({ url: t.url })
    const controller = new AbortController()
    const receipts: { seq: number; kind: string }[] = []
    const opened = new Promise<void>((resolve) => {
      client.watch({
        events: ['receipts'],
        signal: controller.signal,
        onOpen: resolve,
        onEvent: (e) => {
          if (e.type === 'receipts') receipts.push(...e.data.receipts)
        },
      })
    })
    await opened
    const alice = user(61)
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(61), index: 0, owner: alice.account, amount: 5_000_000n })
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(62), index: 0, owner: alice.account, amount: 5_000_000n })
    for (let i = 0; i < 100 && receipts.length < 2; i++) await new Promise((r) => setTimeout(r, 20))
    controller.abort()
    expect(receipts.map((r) => r.seq)).toEqual([1, 2])
  })

  it('getInstance says NO_L1 with a LayerOneError', async () => {
    const e = await createLagoonClient({ url: t.url }).getInstance().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(LayerOneError)
    expect(e).toMatchObject({ code: 'NO_L1' })
  })
})

describe('parseInstanceInfo', () => {
  const good = {
    instance: toHex(INSTANCE),
    seed: `${'ab'.repeat(32)}#1`,
    network: 'Custom',
    anchorAddress: 'addr_test1w…',
    depositAddress: 'addr_test1w…',
    stateTokenUnit: `${toHex(INSTANCE)}6c61676f6f6e`,
    operatorKeyHash: 'cd'.repeat(28),
    operatorAccount: 'ef'.repeat(28),
    exodusTimeoutMs: 86_400_000,
    confirmations: 5,
    terms: '22'.repeat(32),
  }
  it('accepts the published shape and normalises the seed', () => {
    expect(parseInstanceInfo(good)).toMatchObject({ seed: { txHash: 'ab'.repeat(32), outputIndex: 1 }, exodusTimeoutMs: 86_400_000 })
  })
  it.each([
    ['seed', 'abc#1'],
    ['network', 'Testnet'],
    ['instance', 'zz'],
    ['terms', '22'],
    ['confirmations', -1],
  ])('refuses a bad %s', (k, v) => {
    expect(() => parseInstanceInfo({ ...good, [k]: v })).toThrow(new RegExp(`${k} is missing or malformed`))
  })
})
