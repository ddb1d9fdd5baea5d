import Database from 'better-sqlite3'
import { migrate } from './migrations.js'

/** How hard a commit is pushed to disk. `full` fsyncs the WAL on every commit (durable receipts). */
export type Durability = 'full' | 'normal'

/**
 * Opens (or creates) the node's SQLite file: WAL journal, foreign-key-free hot path, schema migrated.
 *
 * @example
 * const db = openDatabase('/var/lib/lagoon/node.db')
 * const mem = openDatabase(':memory:')
 */
export function openDatabase(path: string, durability: Durability = 'full'): Database.Database {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  db.pragma('cache_size = -65536')
  db.pragma('temp_store = MEMORY')
  db.pragma('wal_autocheckpoint = 10000')
  migrate(db)
  return db
}
