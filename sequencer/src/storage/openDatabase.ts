import Database from 'better-sqlite3'
import { migrate } from './migrations.js'

/** How hard a commit is pushed to disk. `full` fsyncs the WAL on every commit (durable receipts). */
export type Durability = 'full' | 'normal'

/** Options of `openDatabase`. */
export interface OpenOptions {
  /**
   * The caller makes commits durable itself (`WalSync`, pipelined group commit): SQLite runs with
   * `synchronous = NORMAL` even for `full`. Ignored for `normal`.
   */
  readonly externalSync?: boolean
}

/**
 * Opens (or creates) the node's SQLite file: WAL journal, foreign-key-free hot path, schema migrated.
 *
 * @example
 * const db = openDatabase('/var/lib/lagoon/node.db')
 * const mem = openDatabase(':memory:')
 */
export function openDatabase(path: string, durability: Durability = 'full', options: OpenOptions = {}): Database.Database {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${durability === 'full' && !options.externalSync ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  // A 16 MiB page cache: the file's pages also sit in the OS page cache, so a miss is a copy, not a
  // disk read. 64 MiB grew the node's RSS by 37 MB in a 10-minute soak as the log's pages filled it
  // (docs/reliability.md); its effect on throughput at 1M accounts is not measured yet.
  db.pragma('cache_size = -16384')
  db.pragma('temp_store = MEMORY')
  db.pragma('wal_autocheckpoint = 10000')
  migrate(db)
  return db
}
