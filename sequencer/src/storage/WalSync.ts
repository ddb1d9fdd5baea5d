import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Durability for a pipelined group commit. The connection runs with `synchronous = NORMAL` (a commit
 * only write()s its frames to the WAL, it does not wait for the disk), and `sync()` then fdatasyncs
 * the WAL file on libuv's thread pool: once it resolves, every transaction committed before the call
 * is on disk, exactly as `synchronous = FULL` would have made it. The event loop keeps serving
 * requests and applying the next group while the disk works. (SQLite's NORMAL mode still syncs the
 * WAL before each checkpoint and the database after it, so the file stays consistent on its own.)
 *
 * @example
 * const wal = new WalSync('/var/lib/lagoon/node.db')
 * db.transaction(work)()
 * await wal.sync() // work is durable
 */
export class WalSync {
  private fd: number | null

  constructor(dbPath: string) {
    // The connection has created the WAL by now (it is in WAL mode and migrated); 'a' never truncates.
    this.fd = openSync(`${dbPath}-wal`, 'a')
    const dir = openSync(dirname(dbPath), 'r')
    try {
      fsyncSync(dir)
    } finally {
      closeSync(dir)
    }
  }

  /**
   * Resolves once everything written to the WAL before the call is on disk.
   *
   * @example
   * await wal.sync()
   */
  sync(): Promise<void> {
    const fd = this.fd
    if (fd === null) return Promise.reject(new Error('the WAL file is closed'))
    return new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())))
  }

  /**
   * Closes the file descriptor (after the last sync).
   *
   * @example
   * wal.close()
   */
  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }
}
