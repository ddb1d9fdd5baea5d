import { connect } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { encodeCanonical } from '../../sdk/src/core/cbor/canonical.js'
import { toHex } from '../../sdk/src/core/bytes.js'
import { keyTask, l1Hash, tx, user } from '../../sdk/test/support/world.js'
import type { StreamOptions } from '../src/http/stream/StreamHub.js'
import { openNode, type LagoonNode } from '../src/node/openNode.js'
import { startServer, type RunningServer } from '../src/node/startServer.js'
import { client } from './support/client.js'
import { tempDb, testConfig } from './support/harness.js'
import { openSse, type SseConnection } from './support/sse.js'

const open: SseConnection[] = []
/** Closes the connection after the test, even when it fails. */
function track(c: SseConnection): SseConnection {
  open.push(c)
  return c
}
afterEach(() => {
  for (const c of open.splice(0)) c.close()
})

interface StreamNode {
  node: LagoonNode
  running: RunningServer
  url: string
  relay: string
  wallet: string
}

async function startStreamNode(streams: StreamOptions, durability: 'normal' | 'full' = 'normal'): Promise<StreamNode> {
  const node = await openNode(testConfig(tempDb(), { durability }), { streams })
  const running = await startServer(node, '127.0.0.1', 0)
  return { node, running, url: running.url, relay: node.tokens.create('relay').token, wallet: node.tokens.create('wallet').token }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time')
    await sleep(20)
  }
}

/** Credits `n` deposits (no signatures: cheap log entries), numbered from `first`. */
async function deposits(node: LagoonNode, first: number, n: number): Promise<void> {
  const owner = user(40).account
  await Promise.all(Array.from({ length: n }, (_, i) => node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(first + i), index: 0, owner, amount: 1_000_000n })))
}

const metric = async (url: string, name: string): Promise<number> => {
  const text = await fetch(`${url}/metrics`).then((r) => r.text())
  const m = new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(text)
  return m ? Number(m[1]) : 0
}

describe('GET /stream', () => {
  let t: StreamNode
  const alice = user(31)
  const bob = user(32)

  beforeAll(async () => {
    t = await startStreamNode({ maxClientBytes: 1 << 20, statsIntervalMs: 1000, pingIntervalMs: 200, maxClients: 60, maxLogClients: 5 })
    for (const u of [alice, bob]) await t.node.sequencer.submitTask(keyTask(u))
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(60_001), index: 0, owner: alice.account, amount: 1_000_000_000n })
  })
  afterAll(async () => {
    await t.running.stop()
  })
  beforeEach(async () => {
    // Closed connections of the last test leave asynchronously: count from zero.
    await eventually(() => t.node.streams.usage.eventClients + t.node.streams.usage.logClients === 0)
  })

  it('sends receipts coalesced per group commit: every applied task once, with seq, head and kind', async () => {
    const s = track(await openSse(`${t.url}/stream?events=receipts`))
    expect(s.status).toBe(200)
    expect(s.headers.get('content-type')).toContain('text/event-stream')
    const txs = Array.from({ length: 300 }, (_, i) => tx(alice, i, [{ type: 'transfer', to: bob.account, amount: 1000n }]))
    const w = client(t.url, t.wallet)
    const r = await w.postCbor('/txs', encodeCanonical(txs.map((x) => x.bytes)))
    expect(r.status).toBe(200)
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(60_002), index: 0, owner: bob.account, amount: 5_000_000n })
    await s.until((ev) => ev.filter((e) => e.event === 'receipts').flatMap((e) => JSON.parse(e.data).receipts).length >= 301)
    const events = s.data<{ receipts: { txId: string; seq: number; logHead: string; kind: string }[] }>('receipts')
    const all = events.flatMap((e) => e.receipts)
    expect(all.slice(0, 300).map((x) => x.txId)).toEqual(txs.map((x) => toHex(x.id)))
    expect(all.slice(0, 300)).toEqual(r.json.results.map((x: any) => ({ ...x.receipt, kind: 'tx' })))
    expect(all[300]).toMatchObject({ kind: 'deposit', seq: all[299]!.seq + 1 })
    for (let i = 1; i < all.length; i++) expect(all[i]!.seq).toBe(all[i - 1]!.seq + 1)
    // Coalesced: far fewer events than receipts (one per durable group).
    expect(events.length).toBeLessThan(all.length / 10)
    expect(toHex(t.node.log.range(all[300]!.seq, 1)[0]!.head)).toBe(all[300]!.logHead)
    s.close()
  })

  it('sends stats every second and pings; filters events; refuses unknown events', async () => {
    const s = track(await openSse(`${t.url}/stream?events=stats`))
    await s.until((ev) => ev.filter((e) => e.event === 'stats').length >= 2, 5000)
    const [st, st2] = s.data('stats')
    expect(st2.time - st.time).toBeGreaterThanOrEqual(900)
    expect(st2.time - st.time).toBeLessThan(2500) // a busy machine delays timers
    expect(st).toEqual({ time: expect.any(Number), seq: t.node.sequencer.tip.seq, tps: expect.any(Number), queueDepth: 0, accounts: t.node.sequencer.state.accountCount() })
    expect(s.events.some((e) => e.event === 'comment' && e.data === 'ping')).toBe(true)
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(60_003), index: 0, owner: bob.account, amount: 1_000_000n })
    await s.until((ev) => ev.filter((e) => e.event === 'stats').length >= 3, 3000)
    expect(s.events.some((e) => e.event === 'receipts')).toBe(false)
    const third = s.data('stats')[2]
    expect(third.seq).toBe(t.node.sequencer.tip.seq)
    s.close()
    const bad = await fetch(`${t.url}/stream?events=receipts,nope`)
    expect([bad.status, ((await bad.json()) as any).code]).toEqual([400, 'BAD_REQUEST'])
  })

  it('measures tps under load', async () => {
    const s = track(await openSse(`${t.url}/stream?events=stats`))
    const w = client(t.url, t.wallet)
    const nonce0 = t.node.sequencer.state.getAccount(bob.account)!.nonce
    const txs = Array.from({ length: 1000 }, (_, i) => tx(bob, nonce0 + i, [{ type: 'transfer', to: alice.account, amount: 1n }]))
    await s.until((ev) => ev.some((e) => e.event === 'stats'), 3000)
    for (let i = 0; i < txs.length; i += 250) expect((await w.postCbor('/txs', encodeCanonical(txs.slice(i, i + 250).map((x) => x.bytes)))).status).toBe(200)
    await s.until((ev) => ev.filter((e) => e.event === 'stats').length >= 3, 4000)
    expect(Math.max(...s.data('stats').map((x) => x.tps))).toBeGreaterThan(0)
    s.close()
  })

  it('releases everything when clients disconnect', async () => {
    const conns: SseConnection[] = []
    for (let i = 0; i < 20; i++) conns.push(track(await openSse(`${t.url}/stream`)))
    for (let i = 0; i < 5; i++) conns.push(track(await openSse(`${t.url}/log/stream?from=1`, { authorization: `Bearer ${t.relay}` })))
    expect(t.node.streams.usage).toMatchObject({ eventClients: 20, logClients: 5, timers: true })
    expect(await metric(t.url, 'lagoon_stream_clients')).toBe(20)
    await Promise.all(conns.map((c) => c.until((ev) => ev.length > 0)))
    for (const c of conns) c.close()
    await eventually(() => t.node.streams.usage.eventClients === 0 && t.node.streams.usage.logClients === 0)
    expect(t.node.streams.usage).toEqual({ eventClients: 0, logClients: 0, timers: false, bufferedBytes: 0 })
    expect(await metric(t.url, 'lagoon_stream_clients')).toBe(0)
    expect(await metric(t.url, 'lagoon_log_stream_clients')).toBe(0)
    expect(await metric(t.url, 'lagoon_stream_ended_total{reason="disconnected"}')).toBeGreaterThanOrEqual(25)
  })

  it('refuses clients beyond the limit with 503 TOO_MANY_CLIENTS', async () => {
    const conns: SseConnection[] = []
    for (let i = 0; i < 60; i++) conns.push(track(await openSse(`${t.url}/stream?events=stats`)))
    const r = await fetch(`${t.url}/stream`)
    expect([r.status, ((await r.json()) as any).code]).toEqual([503, 'TOO_MANY_CLIENTS'])
    const l = await fetch(`${t.url}/log/stream`, { headers: { authorization: `Bearer ${t.relay}` } })
    expect([l.status, ((await l.json()) as any).code]).toEqual([503, 'TOO_MANY_CLIENTS'])
    for (const c of conns) c.close()
    await eventually(() => t.node.streams.usage.eventClients === 0)
    // The log stream has its own, lower bound (each of its clients reads its own pages).
    const logs: SseConnection[] = []
    for (let i = 0; i < 5; i++) logs.push(track(await openSse(`${t.url}/log/stream?from=1`, { authorization: `Bearer ${t.relay}` })))
    const sixth = await fetch(`${t.url}/log/stream`, { headers: { authorization: `Bearer ${t.relay}` } })
    expect([sixth.status, ((await sixth.json()) as any).code]).toEqual([503, 'TOO_MANY_CLIENTS'])
    expect(track(await openSse(`${t.url}/stream?events=stats`)).status).toBe(200) // /stream still has room
  })

  it('takes its bounds from the configuration file’s streams section', async () => {
    const node = await openNode(testConfig(tempDb(), { open: true, streams: { maxClients: 2, maxLogClients: 1 } }))
    const running = await startServer(node, '127.0.0.1', 0)
    try {
      const first = track(await openSse(`${running.url}/log/stream?from=1`))
      expect(first.status).toBe(200)
      const second = await fetch(`${running.url}/log/stream`)
      expect([second.status, ((await second.json()) as any).code]).toEqual([503, 'TOO_MANY_CLIENTS'])
      expect(track(await openSse(`${running.url}/stream?events=stats`)).status).toBe(200)
      const third = await fetch(`${running.url}/stream`)
      expect([third.status, ((await third.json()) as any).code]).toEqual([503, 'TOO_MANY_CLIENTS'])
    } finally {
      for (const c of open.splice(0)) c.close()
      await running.stop()
    }
  })

  it('drops a client that stops reading once its queue passes the bound; other clients get everything', async () => {
    const port = Number(new URL(t.url).port)
    const slow = connect(port, '127.0.0.1')
    let slowClosed = false
    slow.on('close', () => (slowClosed = true))
    slow.on('error', () => {})
    await new Promise<void>((r) => slow.once('connect', () => r()))
    slow.write('GET /stream?events=receipts HTTP/1.1\r\nHost: test\r\n\r\n')
    slow.pause() // never reads: the kernel buffers fill, then the node's queue for it
    const fast = track(await openSse(`${t.url}/stream?events=receipts`))
    await eventually(() => t.node.streams.usage.eventClients === 2)
    const droppedBefore = await metric(t.url, 'lagoon_stream_ended_total{reason="slow"}')
    const payload = { receipts: [{ txId: 'x'.repeat(50_000), seq: 0, logHead: '', kind: 'tx' }] }
    let sent = 0
    let maxBuffered = 0
    while (t.node.streams.usage.eventClients === 2 && sent < 2000) {
      t.node.streams.publish('receipts', payload)
      sent++
      maxBuffered = Math.max(maxBuffered, t.node.streams.usage.bufferedBytes)
      await sleep(1)
    }
    expect(t.node.streams.usage.eventClients).toBe(1) // the slow one is gone
    expect(maxBuffered).toBeLessThanOrEqual(2 * (1 << 20))
    expect(await metric(t.url, 'lagoon_stream_ended_total{reason="slow"}')).toBe(droppedBefore + 1)
    await fast.until((ev) => ev.filter((e) => e.event === 'receipts').length === sent, 10_000)
    slow.resume()
    await eventually(() => slowClosed)
    fast.close()
    await eventually(() => t.node.streams.usage.eventClients === 0)
  })
})

// Both durabilities: receipts after the WAL's fdatasync (groups become durable in sync batches), and at commit.
for (const durability of ['full', 'normal'] as const) {
  describe(`GET /log/stream (durability ${durability})`, () => {
    let t: StreamNode

    beforeAll(async () => {
      // Small pages and a small per-client bound: catching up takes many reads, paced by the client.
      t = await startStreamNode({ maxClientBytes: 16 * 1024, logPageSize: 7, pingIntervalMs: 60_000 }, durability)
      await deposits(t.node, 1, 3000)
    })
    afterAll(async () => {
      await t.running.stop()
    })

    const auth = () => ({ authorization: `Bearer ${t.relay}` })
    const entries = (s: SseConnection) => s.events.filter((e) => e.event === 'task')

    function expectLog(s: SseConnection, from: number, to: number): void {
      const got = entries(s).map((e) => ({ id: Number(e.id), ...JSON.parse(e.data) }))
      expect(got.map((e) => e.seq)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i))
      const log = t.node.log.range(from, to - from + 1)
      for (let i = 0; i < log.length; i++) {
        const e = got[i]!
        expect(e.id).toBe(e.seq)
        expect(e.bytes).toBe(toHex(log[i]!.bytes))
        expect(e.head).toBe(toHex(log[i]!.head))
      }
    }

    it('catches up from the durable log, then goes live with no gap and no duplicate across the seam', async () => {
      const sends = async () => ({ page: await metric(t.url, 'lagoon_log_stream_sends_total{how="page"}'), live: await metric(t.url, 'lagoon_log_stream_sends_total{how="live"}') })
      const before = await sends()
      const s = track(await openSse(`${t.url}/log/stream?from=1`, auth()))
      expect(s.status).toBe(200)
      await s.until((ev) => ev.filter((e) => e.event === 'task').length >= 10)
      // Tasks applied while the client is still catching up (it has read only a little of the log).
      const seenWhenApplied: number[] = []
      for (let wave = 0; wave < 5; wave++) {
        seenWhenApplied.push(entries(s).length)
        await deposits(t.node, 3001 + wave * 200, 200)
        await sleep(30)
      }
      expect(Math.min(...seenWhenApplied)).toBeLessThan(3000)
      await s.until((ev) => ev.filter((e) => e.event === 'task').length >= 4000, 30_000)
      // Live: a client that has caught up gets new entries as they become durable.
      await deposits(t.node, 4001, 50)
      await s.until((ev) => ev.filter((e) => e.event === 'task').length >= 4050)
      await sleep(100)
      expectLog(s, 1, 4050)
      // Both sides of the seam were used: pages read back from the log, then live groups as they are.
      const after = await sends()
      expect(after.page - before.page).toBeGreaterThan(3000 / 7)
      expect(after.live).toBeGreaterThan(before.live)
      expect(JSON.parse(entries(s)[0]!.data).kind).toBe('deposit')
      s.close()
    })

    it('starts at `from`, or after Last-Event-ID on reconnect, and waits at the tip', async () => {
      const tip = t.node.sequencer.tip.seq
      const a = track(await openSse(`${t.url}/log/stream?from=${tip - 4}`, auth()))
      await a.until((ev) => ev.filter((e) => e.event === 'task').length >= 5)
      expectLog(a, tip - 4, tip)
      const b = track(await openSse(`${t.url}/log/stream`, { ...auth(), 'last-event-id': String(tip - 2) }))
      await b.until((ev) => ev.filter((e) => e.event === 'task').length >= 2)
      expectLog(b, tip - 1, tip)
      const c = track(await openSse(`${t.url}/log/stream?from=${tip + 1}`, auth()))
      await sleep(100)
      expect(entries(c)).toHaveLength(0)
      const user9 = user(39)
      await t.node.sequencer.submitTask(keyTask(user9))
      await c.until((ev) => ev.filter((e) => e.event === 'task').length >= 1)
      expectLog(c, tip + 1, tip + 1)
      expect(JSON.parse(entries(c)[0]!.data).kind).toBe('register')
      for (const x of [a, b, c]) x.close()
    })

    it('keeps a slow relay bounded: the node reads the log only as fast as the client takes it', async () => {
      const port = Number(new URL(t.url).port)
      const slow = connect(port, '127.0.0.1')
      slow.on('error', () => {})
      await new Promise<void>((r) => slow.once('connect', () => r()))
      slow.write(`GET /log/stream?from=1 HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${t.relay}\r\n\r\n`)
      slow.pause()
      await eventually(() => t.node.streams.usage.logClients === 1)
      await sleep(300)
      let maxBuffered = 0
      for (let i = 0; i < 20; i++) {
        maxBuffered = Math.max(maxBuffered, t.node.streams.usage.bufferedBytes)
        await sleep(10)
      }
      // Not dropped, and its queue stays within the bound (the rest waits in the log, on disk).
      expect(t.node.streams.usage.logClients).toBe(1)
      expect(maxBuffered).toBeLessThanOrEqual(16 * 1024)
      // Reading again, it gets the whole log.
      let text = ''
      slow.setEncoding('utf8')
      slow.on('data', (d: string) => (text += d))
      slow.resume()
      const tip = t.node.sequencer.tip.seq
      await eventually(() => text.includes(`id: ${tip}\n`), 20_000)
      slow.destroy()
      await eventually(() => t.node.streams.usage.logClients === 0)
    })

    it('ends the streams when the node stops', async () => {
      const o = await startStreamNode({})
      const a = track(await openSse(`${o.url}/stream`))
      const b = track(await openSse(`${o.url}/log/stream`, { authorization: `Bearer ${o.relay}` }))
      await o.running.stop()
      expect(await a.ended).toBeDefined()
      expect(await b.ended).toBeDefined()
      expect(o.node.streams.usage).toMatchObject({ eventClients: 0, logClients: 0, timers: false })
    })
  })
}
