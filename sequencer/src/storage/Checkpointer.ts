import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

// Plain JavaScript evaluated from this string (runs the same under tsx, vitest and compiled output).
// Its own connection to the file runs PASSIVE checkpoints, which never block the writer: the WAL's
// pages are copied into the database (and both are fsynced) on this thread, not the applier's.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 0')
db.pragma('synchronous = NORMAL')
db.pragma('cache_size = -2048')
let stopped = false
let timer = null
function tick() {
  if (stopped) return
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed })
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) })
  }
  timer = setTimeout(tick, workerData.intervalMs)
}
parentPort.on('message', (m) => {
  if (m === 'stop') { stopped = true; clearTimeout(timer); db.close(); parentPort.close() }
})
timer = setTimeout(tick, workerData.intervalMs)
`

/**
 * Checkpoints the WAL from a worker thread (its own SQLite connection, PASSIVE mode), so the
 * applier never stalls on copying pages into the database file and fsyncing it; the node's own
 * connection runs with `wal_autocheckpoint = 0`.
 *
 * @example
 * db.pragma('wal_autocheckpoint = 0')
 * const cp = new Checkpointer('/var/lib/lagoon/node.db')
 * await cp.close()
 */
export class Checkpointer {
  private readonly worker: Worker
  private _checkpoints = 0
  private _lastError: string | null = null

  constructor(path: string, intervalMs = 250) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs } })
    this.worker.on('message', (m: { error?: string }) => {
      if (m.error) this._lastError = m.error
      else this._checkpoints++
    })
    this.worker.on('error', (e) => {
      this._lastError = e.message
    })
    this.worker.unref()
  }

  /** Checkpoints run so far. */
  get checkpoints(): number {
    return this._checkpoints
  }

  /** The last checkpoint error, if any. */
  get lastError(): string | null {
    return this._lastError
  }

  /**
   * Stops the worker and closes its connection.
   *
   * @example
   * await cp.close()
   */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.worker.ref() // keep the process alive until the worker has closed its connection
      this.worker.once('exit', () => resolve())
      this.worker.postMessage('stop')
    })
  }
}
