import { Worker } from 'node:worker_threads'
import { ED25519_KEY_SOURCE } from '../core.js'

// The worker is plain JavaScript evaluated from this string, so it runs the same under tsx, vitest
// and compiled output (no loader needed for a .ts worker file). It keeps prepared KeyObjects.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
// Linux keeps a nice value per thread: this worker yields the cores to the applier's thread (and the
// GC helpers its pauses wait for) whenever both want one. Where that is refused, it runs as is.
if (workerData && workerData.nice) { try { require('node:os').setPriority(0, workerData.nice) } catch {} }
const { createPublicKey, verify } = require('node:crypto')
${ED25519_KEY_SOURCE}
// Results go back in chunks of CHUNK, so the applier can start on the first ones while the rest of
// a large batch is still being verified.
const CHUNK = 32
parentPort.on('message', ({ id, buf }) => {
  const b = Buffer.from(buf)
  const n = b.length / 128
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK)
    const out = new Uint8Array(end - start)
    for (let i = start; i < end; i++) {
      const o = i * 128
      try {
        out[i - start] = verify(null, b.subarray(o + 32, o + 64), ed25519Key(b.subarray(o, o + 32)), b.subarray(o + 64, o + 128)) ? 1 : 0
      } catch {
        out[i - start] = 0
      }
    }
    parentPort.postMessage({ id, start, out, last: end === n }, [out.buffer])
  }
})
`

interface Pending {
  resolve: (ok: boolean) => void
}

interface Slot {
  readonly worker: Worker
  outstanding: number
  readonly batches: Map<number, Pending[]>
}

const MAX_BATCH = 512

/**
 * The nice value of the verifying threads: below the applier's thread, which every receipt waits for
 * in turn, so a busy core goes to it first. Measured in docs/benchmarks.md (event-loop p99 halved).
 */
export const DEFAULT_VERIFY_NICE = 10

/**
 * ed25519 verification on a pool of worker threads (`node:crypto`, prepared KeyObjects), so signature
 * checks use every core instead of the applier's. Requests made in the same event-loop turn are sent
 * as one message per worker (up to 512 per message), to the least busy worker; results come back
 * in chunks of 32, so the first of a large batch resolve long before its last. The workers run at
 * `nice` (default {@link DEFAULT_VERIFY_NICE}; 0 keeps the process's priority).
 *
 * @example
 * const pool = new VerifyPool(2)
 * await pool.verify(l2Key, tx.id, tx.signature) // true
 * await pool.close()
 */
export class VerifyPool {
  private readonly slots: Slot[]
  private queued: { key: Uint8Array; msg: Uint8Array; sig: Uint8Array; p: Pending }[] = []
  private flushScheduled = false
  private nextId = 1
  private closed = false

  constructor(size: number, opts: { nice?: number } = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, got ${size}`)
    const nice = opts.nice ?? DEFAULT_VERIFY_NICE
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: new Worker(WORKER_SOURCE, { eval: true, workerData: { nice } }), outstanding: 0, batches: new Map() }
      slot.worker.on('message', ({ id, start, out, last }: { id: number; start: number; out: Uint8Array; last: boolean }) => {
        const ps = slot.batches.get(id)
        if (!ps) return
        if (last) slot.batches.delete(id)
        slot.outstanding -= out.length
        for (let i = 0; i < out.length; i++) ps[start + i]!.resolve(out[i] === 1)
      })
      slot.worker.on('error', () => {
        // A crashed worker fails its batches as "not verified": the applier then verifies inline.
        for (const ps of slot.batches.values()) for (const p of ps) p.resolve(false)
        slot.batches.clear()
        slot.outstanding = 0
      })
      slot.worker.unref()
      return slot
    })
  }

  /** How many workers. */
  get size(): number {
    return this.slots.length
  }

  /**
   * Verifies an ed25519 signature on a worker. Never rejects: malformed input verifies as false.
   *
   * @example
   * if (await pool.verify(key, message, signature)) markVerified()
   */
  verify(key: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
    if (this.closed || key.length !== 32 || msg.length !== 32 || sig.length !== 64) return Promise.resolve(false)
    return new Promise((resolve) => {
      this.queued.push({ key, msg, sig, p: { resolve } })
      if (this.queued.length >= MAX_BATCH * this.slots.length) this.flush()
      else if (!this.flushScheduled) {
        this.flushScheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.flushScheduled = false
    const all = this.queued
    this.queued = []
    if (all.length === 0) return
    // Split evenly over the workers, least busy first.
    const slots = [...this.slots].sort((a, b) => a.outstanding - b.outstanding)
    const per = Math.max(1, Math.ceil(all.length / slots.length))
    for (let start = 0, s = 0; start < all.length; start += per, s++) {
      const part = all.slice(start, start + per)
      const slot = slots[s % slots.length]!
      const buf = new Uint8Array(128 * part.length)
      part.forEach((r, i) => {
        buf.set(r.key, 128 * i)
        buf.set(r.msg, 128 * i + 32)
        buf.set(r.sig, 128 * i + 64)
      })
      const id = this.nextId++
      slot.batches.set(
        id,
        part.map((r) => r.p),
      )
      slot.outstanding += part.length
      slot.worker.postMessage({ id, buf: buf.buffer }, [buf.buffer])
    }
  }

  /**
   * Stops the workers; pending verifications resolve false.
   *
   * @example
   * await pool.close()
   */
  async close(): Promise<void> {
    this.closed = true
    for (const q of this.queued) q.p.resolve(false)
    this.queued = []
    for (const slot of this.slots) for (const ps of slot.batches.values()) for (const p of ps) p.resolve(false)
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }
}
