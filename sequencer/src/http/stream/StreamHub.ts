import type Database from 'better-sqlite3'
import { fromHex, toHex } from '../../core.js'
import { NodeError } from '../../errors/NodeError.js'
import type { L1Node } from '../../l1/L1Node.js'
import type { BatchRow } from '../../l1/Poster.js'
import type { Metrics } from '../../metrics/Metrics.js'
import type { DurableTask, Sequencer } from '../../queue/Sequencer.js'
import type { TaskLog } from '../../storage/TaskLog.js'
import { liveChunk, LogFollower, type LiveChunk } from './LogFollower.js'
import { SseChannel, type ChannelEnd } from './SseChannel.js'
import { sseComment, sseFrame } from './sseFrame.js'

/** The events of `GET /stream`. */
export type StreamEvent = 'receipts' | 'batch' | 'deposit' | 'exit' | 'stats'

/** Every event of `GET /stream`, in the order the docs list them. */
export const STREAM_EVENTS: readonly StreamEvent[] = ['receipts', 'batch', 'deposit', 'exit', 'stats']

/** Limits and cadence of the streams. */
export interface StreamOptions {
  /** Bytes queued for one client before it is dropped (`/stream`) or paused (`/log/stream`). Default 1 MiB. */
  readonly maxClientBytes?: number
  /** Clients of both streams together; beyond it 503 TOO_MANY_CLIENTS. Default 1000. */
  readonly maxClients?: number
  /**
   * Clients of `/log/stream` (each reads its own pages of the log, so each may hold up to
   * `maxClientBytes`; `/stream` clients share every frame). Default 100.
   */
  readonly maxLogClients?: number
  /** ms between `stats` events. Default 1000. */
  readonly statsIntervalMs?: number
  /** ms between `: ping` comments. Default 15,000. */
  readonly pingIntervalMs?: number
  /** Log entries read from SQLite at a time while a log client catches up. Default 256. */
  readonly logPageSize?: number
}

/** What the hub reads and listens to. */
export interface StreamSources {
  readonly sequencer: Sequencer
  readonly log: TaskLog
  readonly metrics: Metrics
  readonly l1?: L1Node | null
  readonly db?: Database.Database
}

/** `event: batch` data. */
export interface BatchEvent {
  readonly number: number
  readonly root: string
  readonly logHead: string
  readonly fromSeq: number
  readonly toSeq: number
  readonly status: BatchRow['status'] | 'dropped'
  readonly l1Tx: string | null
}

interface EventClient {
  readonly channel: SseChannel
  readonly events: ReadonlySet<StreamEvent>
}

/**
 * The node's live streams. `GET /stream` clients get events pushed: receipts coalesced per durable
 * group commit, batch status changes, deposit status changes, exits paid on layer 1, and stats every
 * second; each frame is encoded once for all clients, and a client whose queue would pass the bound is
 * dropped. `GET /log/stream` clients each get a `LogFollower` (catch-up from the durable log, then live,
 * paced by the client). Timers run only while someone listens; a client that leaves releases its
 * channel and its registry entry at once.
 *
 * @example
 * const hub = new StreamHub({ sequencer, log, metrics, l1, db })
 * app.get('/stream', () => hub.openEvents(new Set(STREAM_EVENTS)))
 */
export class StreamHub {
  private readonly eventClients = new Set<EventClient>()
  private readonly logClients = new Map<SseChannel, LogFollower>()
  private readonly subscribers = new Map<StreamEvent, number>(STREAM_EVENTS.map((e) => [e, 0]))
  private readonly maxClientBytes: number
  private readonly maxClients: number
  private readonly maxLogClients: number
  private readonly statsIntervalMs: number
  private readonly pingIntervalMs: number
  private readonly logPageSize: number
  private statsTimer: NodeJS.Timeout | null = null
  private pingTimer: NodeJS.Timeout | null = null
  private last = { seq: 0, at: 0 }
  private readonly off: (() => void)[] = []
  /** Unsubscribes from the sequencer's durable groups; set only while someone listens. */
  private offDurable: (() => void) | null = null
  private readonly depositRow

  constructor(
    private readonly src: StreamSources,
    options: StreamOptions = {},
  ) {
    this.maxClientBytes = options.maxClientBytes ?? 1 << 20
    this.maxClients = options.maxClients ?? 1000
    this.maxLogClients = options.maxLogClients ?? 100
    this.statsIntervalMs = options.statsIntervalMs ?? 1000
    this.pingIntervalMs = options.pingIntervalMs ?? 15_000
    this.logPageSize = options.logPageSize ?? 256
    this.depositRow = src.db?.prepare<[Uint8Array, number], { owner: Buffer; amount: string }>('SELECT owner, amount FROM deposits WHERE tx_hash = ? AND out_index = ?')
    const m = src.metrics
    m.describe('lagoon_stream_clients', 'Clients of GET /stream')
    m.describe('lagoon_log_stream_clients', 'Clients of GET /log/stream')
    m.describe('lagoon_stream_buffered_bytes', 'Bytes queued for stream clients, not yet taken by their sockets')
    m.describe('lagoon_log_stream_sends_total', 'Log stream sends: log pages read back (how="page") and live durable groups sent as they are (how="live")')
    m.describe('lagoon_stream_ended_total', 'Stream clients gone, by reason (disconnected, slow: dropped at the bound, closed)')
    m.gauge('lagoon_stream_clients', () => this.eventClients.size)
    m.gauge('lagoon_log_stream_clients', () => this.logClients.size)
    m.gauge('lagoon_stream_buffered_bytes', () => this.bufferedBytes())
    const l1 = src.l1
    if (l1) {
      const onBatch = (b: BatchRow | undefined) => b && this.onBatch(b)
      const onDeposit = (d: { outRef: string; status: string }) => this.onDeposit(d.outRef, d.status)
      l1.poster.events.on('batch', onBatch)
      l1.poster.events.on('deposit', onDeposit)
      l1.follower.events.on('deposit', onDeposit)
      this.off.push(() => {
        l1.poster.events.off('batch', onBatch)
        l1.poster.events.off('deposit', onDeposit)
        l1.follower.events.off('deposit', onDeposit)
      })
    }
  }

  /** Clients of both streams, whether the timers and the durable-group listener run, bytes queued (tests, metrics). */
  get usage(): { eventClients: number; logClients: number; timers: boolean; bufferedBytes: number } {
    return { eventClients: this.eventClients.size, logClients: this.logClients.size, timers: this.statsTimer !== null || this.pingTimer !== null || this.offDurable !== null, bufferedBytes: this.bufferedBytes() }
  }

  /**
   * Parses `?events=` (comma-separated; empty or absent: all).
   *
   * @example
   * StreamHub.parseEvents('receipts,stats') // Set { 'receipts', 'stats' }
   */
  static parseEvents(q: string | undefined): Set<StreamEvent> {
    if (!q) return new Set(STREAM_EVENTS)
    const out = new Set<StreamEvent>()
    for (const raw of q.split(',')) {
      const e = raw.trim()
      if (!e) continue
      if (!(STREAM_EVENTS as readonly string[]).includes(e)) {
        throw new NodeError('BAD_REQUEST', `unknown event "${e.slice(0, 40)}"; expected some of ${STREAM_EVENTS.join(', ')}`, { details: { events: STREAM_EVENTS } })
      }
      out.add(e as StreamEvent)
    }
    return out.size > 0 ? out : new Set(STREAM_EVENTS)
  }

  /**
   * A new `GET /stream` client for `events`: the SSE response to return. `abort` closes the client's
   * connection (used to drop it when it reads too slowly).
   *
   * @example
   * return hub.openEvents(StreamHub.parseEvents(c.req.query('events')))
   */
  openEvents(events: ReadonlySet<StreamEvent>, abort?: () => void): Response {
    this.admit()
    let client: EventClient | null = null
    const channel = new SseChannel(
      this.maxClientBytes,
      (why) => {
        if (client && this.eventClients.delete(client)) for (const e of client.events) this.subscribers.set(e, this.subscribers.get(e)! - 1)
        this.ended(why)
      },
      {},
      abort,
    )
    client = { channel, events }
    this.eventClients.add(client)
    for (const e of events) this.subscribers.set(e, this.subscribers.get(e)! + 1)
    this.startTimers()
    return channel.response
  }

  /**
   * A new `GET /log/stream` client from seq `from`: the SSE response to return.
   *
   * @example
   * return hub.openLog(1)
   */
  openLog(from: number): Response {
    this.admit()
    if (this.logClients.size >= this.maxLogClients) {
      throw new NodeError('TOO_MANY_CLIENTS', `the node serves at most ${this.maxLogClients} log stream clients; retry later`, { details: { retryAfterMs: 5000 } })
    }
    const channel = new SseChannel(this.maxClientBytes, (why) => {
      this.logClients.delete(channel)
      this.ended(why)
    })
    const follower = new LogFollower(channel, Math.max(1, from), this.src.log, () => this.src.sequencer.durableSeq, this.logPageSize, (how) =>
      this.src.metrics.inc('lagoon_log_stream_sends_total', { how }),
    )
    this.logClients.set(channel, follower)
    this.startTimers()
    follower.start()
    return channel.response
  }

  /**
   * Ends every stream and stops listening (the node is closing).
   *
   * @example
   * hub.close()
   */
  close(): void {
    for (const c of [...this.eventClients]) c.channel.end('closed')
    for (const ch of [...this.logClients.keys()]) ch.end('closed')
    for (const f of this.off.splice(0)) f()
    this.stopTimers()
  }

  private admit(): void {
    if (this.eventClients.size + this.logClients.size >= this.maxClients) {
      throw new NodeError('TOO_MANY_CLIENTS', `the node serves at most ${this.maxClients} stream clients; retry later`, { details: { retryAfterMs: 5000 } })
    }
  }

  private ended(why: ChannelEnd): void {
    this.src.metrics.inc('lagoon_stream_ended_total', { reason: why })
    if (this.eventClients.size + this.logClients.size === 0) this.stopTimers()
  }

  private bufferedBytes(): number {
    let n = 0
    for (const c of this.eventClients) n += c.channel.buffered
    for (const ch of this.logClients.keys()) n += ch.buffered
    return n
  }

  /**
   * Sends one event to every `/stream` client that asked for it (the frame is encoded once); a
   * client whose queue would pass the bound is dropped. A no-op when nobody listens to `event`.
   *
   * @example
   * hub.publish('stats', { time: Date.now(), seq, tps, queueDepth, accounts })
   */
  publish(event: StreamEvent, data: unknown): void {
    if (this.subscribers.get(event) === 0) return
    const frame = sseFrame(event, data)
    for (const c of [...this.eventClients]) if (c.events.has(event)) c.channel.send(frame)
  }

  private onDurable(tasks: readonly DurableTask[]): void {
    if (this.logClients.size > 0) {
      let chunk: LiveChunk | null = null
      for (const f of this.logClients.values()) f.live((chunk ??= liveChunk(tasks)))
    }
    if (this.subscribers.get('receipts')! > 0) {
      this.publish('receipts', { receipts: tasks.map((t) => ({ ...t.receipt, kind: t.task.kind })) })
    }
    if (this.subscribers.get('deposit')! > 0 || this.subscribers.get('exit')! > 0) {
      for (const { task } of tasks) {
        if (task.kind === 'deposit') {
          this.publish('deposit', { outRef: `${toHex(task.txHash)}#${task.index}`, owner: toHex(task.owner), amount: task.amount.toString(), status: 'credited' })
        } else if (task.kind === 'exitPaid') {
          const batch = this.src.l1?.poster.lastConfirmed()?.number ?? null
          this.publish('exit', { account: toHex(task.account), amount: task.amount.toString(), batch, paidTx: toHex(task.txHash) })
        }
      }
    }
  }

  private onBatch(b: BatchRow | (BatchRow & { status: 'dropped' })): void {
    const e: BatchEvent = { number: b.number, root: b.root, logHead: b.logHead, fromSeq: b.firstSeq, toSeq: b.lastSeq, status: b.status, l1Tx: b.l1Tx }
    this.publish('batch', e)
  }

  private onDeposit(outRef: string, status: string): void {
    if (this.subscribers.get('deposit') === 0) return
    const [h, i] = outRef.split('#')
    const row = this.depositRow?.get(fromHex(h!), Number(i))
    this.publish('deposit', { outRef, owner: row ? toHex(row.owner) : null, amount: row?.amount ?? null, status })
  }

  private stats(): void {
    const now = Date.now()
    const seq = this.src.sequencer.tip.seq
    const dt = now - this.last.at
    const tps = dt > 0 ? Math.round(((seq - this.last.seq) * 1000) / dt) : 0
    this.last = { seq, at: now }
    this.publish('stats', { time: now, seq, tps, queueDepth: this.src.sequencer.queueDepth, accounts: this.src.sequencer.state.accountCount() })
  }

  private ping(): void {
    const frame = sseComment('ping')
    for (const c of [...this.eventClients]) c.channel.send(frame)
    for (const ch of this.logClients.keys()) if (ch.buffered + frame.byteLength <= ch.maxBytes) ch.push(frame)
  }

  private startTimers(): void {
    // The applier pays for the durable-group callback only while a stream has a client.
    this.offDurable ??= this.src.sequencer.onDurable((tasks) => this.onDurable(tasks))
    if (!this.statsTimer) {
      this.last = { seq: this.src.sequencer.tip.seq, at: Date.now() }
      this.statsTimer = setInterval(() => this.stats(), this.statsIntervalMs)
      this.statsTimer.unref()
    }
    if (!this.pingTimer) {
      this.pingTimer = setInterval(() => this.ping(), this.pingIntervalMs)
      this.pingTimer.unref()
    }
  }

  private stopTimers(): void {
    this.offDurable?.()
    this.offDurable = null
    if (this.statsTimer) clearInterval(this.statsTimer)
    if (this.pingTimer) clearInterval(this.pingTimer)
    this.statsTimer = this.pingTimer = null
  }
}
