import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { BatchVerifier, VerifyBatch } from '../BatchVerifier.js'
import { ED25519_KEY_SOURCE } from '../../node/ed25519KeyObject.js'

// The worker: plain CommonJS, evaluated from this string (no file to resolve, no TypeScript loader).
// ed25519 on node:crypto with prepared KeyObjects cached per key (ED25519_KEY_SOURCE).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createPublicKey, verify } = require('node:crypto')
${ED25519_KEY_SOURCE}
parentPort.on('message', (m) => {
  const keys = Buffer.from(m.keys), msgs = Buffer.from(m.messages), sigs = Buffer.from(m.signatures)
  const out = new Uint8Array(m.count)
  for (let i = 0; i < m.count; i++) {
    try {
      const key = ed25519Key(keys.subarray(32 * i, 32 * i + 32))
      out[i] = verify(null, msgs.subarray(32 * i, 32 * i + 32), key, sigs.subarray(64 * i, 64 * i + 64)) ? 1 : 0
    } catch (e) { out[i] = 0 }
  }
  parentPort.postMessage({ id: m.id, out }, [out.buffer])
})
`

/**
 * A {@link BatchVerifier} on `node:worker_threads`: each batch is split across `workers` threads that
 * verify with `node:crypto` (~14× @noble/curves). Node only: browsers use `pureBatchVerifier`. The threads are
 * `unref`ed; call `close()` when done to free them.
 *
 * @example
 * const verifier = createWorkerBatchVerifier({ workers: 2 })
 * try { await auditLog({ client, ctx, verifier }) } finally { await verifier.close() }
 */
export function createWorkerBatchVerifier(options: { workers?: number; minPerWorker?: number } = {}): BatchVerifier & { close(): Promise<void> } {
  const count = Math.max(1, options.workers ?? availableParallelism())
  const minPerWorker = options.minPerWorker ?? 64
  const pending = new Map<number, { resolve: (out: Uint8Array) => void; reject: (e: unknown) => void }>()
  let nextId = 0
  const workers = Array.from({ length: count }, () => {
    const w = new Worker(WORKER_SOURCE, { eval: true })
    w.unref()
    w.on('message', (m: { id: number; out: Uint8Array }) => {
      const p = pending.get(m.id)
      pending.delete(m.id)
      p?.resolve(m.out)
    })
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e)
      pending.clear()
    })
    return w
  })
  let rr = 0

  function run(worker: Worker, b: VerifyBatch, from: number, to: number): Promise<Uint8Array> {
    const id = nextId++
    const n = to - from
    const keys = b.keys.slice(32 * from, 32 * to)
    const messages = b.messages.slice(32 * from, 32 * to)
    const signatures = b.signatures.slice(64 * from, 64 * to)
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, count: n, keys, messages, signatures }, [keys.buffer, messages.buffer, signatures.buffer])
    })
  }

  return {
    async verifyBatch(b) {
      const parts = Math.max(1, Math.min(count, Math.floor(b.count / minPerWorker)))
      const size = Math.ceil(b.count / parts)
      const jobs: Promise<Uint8Array>[] = []
      for (let from = 0; from < b.count; from += size) jobs.push(run(workers[rr++ % count]!, b, from, Math.min(b.count, from + size)))
      const outs = await Promise.all(jobs)
      const out = new Uint8Array(b.count)
      let o = 0
      for (const x of outs) {
        out.set(x, o)
        o += x.length
      }
      return out
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()))
    },
  }
}
