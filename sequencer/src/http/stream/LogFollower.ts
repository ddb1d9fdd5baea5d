import { toHex, TASK_TAG, type Task } from '../../core.js'
import type { DurableTask } from '../../queue/Sequencer.js'
import type { TaskLog } from '../../storage/TaskLog.js'
import type { SseChannel } from './SseChannel.js'
import { sseText, utf8 } from './sseFrame.js'

const KIND_OF_TAG = new Map<number, Task['kind']>(Object.entries(TASK_TAG).map(([k, v]) => [v, k as Task['kind']]))

/** The data of one `event: task` of `GET /log/stream`. */
export interface LogStreamEntry {
  readonly seq: number
  readonly kind: Task['kind']
  /** The task's bytes as the log stores them, hex. */
  readonly bytes: string
  /** The log head after this entry, hex. */
  readonly head: string
}

/**
 * The text of one log entry as an SSE frame (`id` is the seq, so a reconnecting EventSource resumes
 * after it through Last-Event-ID).
 *
 * @example
 * logFrameText({ seq: 1, kind: 'tx', bytes: '82…', head: 'ab…' })
 */
export function logFrameText(e: LogStreamEntry): string {
  return sseText('task', e, e.seq)
}

/** One durable group as the log stream sends it: its frames concatenated, encoded once for every client. */
export interface LiveChunk {
  readonly firstSeq: number
  readonly lastSeq: number
  readonly bytes: Uint8Array
}

/**
 * Encodes a durable group for the log stream.
 *
 * @example
 * const chunk = liveChunk(tasks)
 */
export function liveChunk(tasks: readonly DurableTask[]): LiveChunk {
  let text = ''
  for (const t of tasks) text += logFrameText({ seq: t.receipt.seq, kind: t.task.kind, bytes: toHex(t.bytes), head: t.receipt.logHead })
  return { firstSeq: tasks[0]!.receipt.seq, lastSeq: tasks[tasks.length - 1]!.receipt.seq, bytes: utf8(text) }
}

/**
 * One client of `GET /log/stream`: sends the durable log from `from`, reading it from SQLite a page at
 * a time and only when the client has room (a slow relay lags behind; its memory stays bounded and it
 * is never dropped), then follows live groups as they become durable. `next` is the one cursor: a live
 * group is sent as is only when it starts exactly at `next` and fits; anything else (catching up, a
 * full buffer, a gap) is read back from the log, so the stream has no gap and no duplicate.
 *
 * @example
 * const f = new LogFollower(channel, 1, log, () => sequencer.durableSeq)
 * f.start(); sequencer.onDurable((tasks) => f.live(liveChunk(tasks)))
 */
export class LogFollower {
  private pumping = false

  constructor(
    private readonly channel: SseChannel,
    private next: number,
    private readonly log: TaskLog,
    private readonly durableSeq: () => number,
    private readonly pageSize = 256,
    /** Counts what was sent how: log pages read back (catching up, or behind) and live groups sent as is. */
    private readonly count: (how: 'page' | 'live') => void = () => {},
  ) {}

  /** The next seq this client will be sent. */
  get cursor(): number {
    return this.next
  }

  /** Starts catching up. */
  start(): void {
    void this.pump()
  }

  /**
   * A group just became durable (called right when `durableSeq` passed it).
   *
   * @example
   * follower.live(chunk)
   */
  live(chunk: LiveChunk): void {
    if (this.pumping || this.next > chunk.lastSeq) return
    if (this.next === chunk.firstSeq && this.channel.buffered + chunk.bytes.byteLength <= this.channel.maxBytes) {
      if (this.channel.push(chunk.bytes)) {
        this.next = chunk.lastSeq + 1
        this.count('live')
      }
      return
    }
    void this.pump()
  }

  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      while (!this.channel.endedBy && this.next <= this.durableSeq()) {
        const page = this.log.range(this.next, Math.min(this.pageSize, this.durableSeq() - this.next + 1))
        if (page.length === 0) break
        this.count('page')
        for (const e of page) {
          const frame = utf8(logFrameText({ seq: e.seq, kind: KIND_OF_TAG.get(e.kind) ?? 'tx', bytes: toHex(e.bytes), head: toHex(e.head) }))
          await this.channel.whenRoom(frame.byteLength)
          if (!this.channel.push(frame)) return
          this.next = e.seq + 1
        }
        // Let the socket take what is queued (and other requests run) between pages.
        if (this.channel.buffered > this.channel.maxBytes / 2) await this.channel.whenRoom()
        else await new Promise((r) => setImmediate(r))
      }
    } finally {
      this.pumping = false
    }
  }
}
