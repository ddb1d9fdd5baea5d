import type Database from 'better-sqlite3'

/** One schema step; `version` numbers run 1, 2, … and are recorded in `PRAGMA user_version`. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/**
 * The schema, as numbered migrations. Never edit a published one: append a new version.
 * Amounts are decimal TEXT (bigints above 2^53); ids and hashes are BLOBs.
 *
 * @example
 * MIGRATIONS.at(-1)!.version // the schema version a fresh file gets
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT;

      -- The state DB: the tip of the global state. leaf is the account's state-tree leaf hash, NULL
      -- while stale (written by the tree flush, cleared by every account write).
      CREATE TABLE accounts (
        id BLOB PRIMARY KEY,
        idx INTEGER NOT NULL UNIQUE,
        l2_key BLOB,
        key_epoch INTEGER NOT NULL,
        balance TEXT NOT NULL,
        pending_exit TEXT NOT NULL,
        nonce INTEGER NOT NULL,
        record_count INTEGER NOT NULL,
        leaf BLOB
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE records (
        account BLOB NOT NULL,
        key BLOB NOT NULL,
        value BLOB NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (account, key)
      ) STRICT, WITHOUT ROWID;

      -- Deposits seen on layer 1 (the follower fills seen/absorbed/refunded; credited comes from the log).
      CREATE TABLE deposits (
        tx_hash BLOB NOT NULL,
        out_index INTEGER NOT NULL,
        owner BLOB NOT NULL,
        amount TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('seen', 'credited', 'absorbed', 'refunded')),
        l1_height INTEGER,
        credited_seq INTEGER,
        PRIMARY KEY (tx_hash, out_index)
      ) STRICT, WITHOUT ROWID;

      -- The task log: the public task DB. id is the tx id (tx tasks) or H(bytes) (other tasks).
      CREATE TABLE log (
        seq INTEGER PRIMARY KEY,
        kind INTEGER NOT NULL,
        id BLOB NOT NULL,
        bytes BLOB NOT NULL,
        head BLOB NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX log_id ON log (id);

      CREATE TABLE batches (
        number INTEGER PRIMARY KEY,
        root BLOB NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        log_head BLOB NOT NULL,
        l1_tx BLOB,
        status TEXT NOT NULL CHECK (status IN ('pending', 'submitted', 'confirmed', 'failed')),
        created_at INTEGER NOT NULL,
        confirmed_at INTEGER
      ) STRICT;

      -- Exits: requested by a withdraw action (requested_seq), paid on layer 1 (paid_tx, paid_seq).
      CREATE TABLE exits (
        id INTEGER PRIMARY KEY,
        account BLOB NOT NULL,
        amount TEXT NOT NULL,
        requested_seq INTEGER,
        batch INTEGER,
        paid_tx BLOB,
        paid_seq INTEGER
      ) STRICT;
      CREATE INDEX exits_account ON exits (account);

      -- Auth tokens: only a hash of the secret is kept.
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('admin', 'relay', 'wallet')),
        hash BLOB NOT NULL,
        label TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;

      -- A snapshot of the state tree's level buffers, valid when meta.tree_seq is the last log seq.
      CREATE TABLE tree_levels (level INTEGER PRIMARY KEY, nodes BLOB NOT NULL) STRICT;
    `,
  },
  {
    version: 2,
    name: 'layer-1 follower and poster',
    sql: `
      -- Anchor outputs the follower has processed (their creating tx's exits recorded in the log).
      -- kind: the redeemer of the tx that created it (genesis, commit, withdraw, freeze, exodusWithdraw).
      CREATE TABLE l1_anchors (
        out_ref TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        batch INTEGER NOT NULL,
        root BLOB NOT NULL,
        mode TEXT NOT NULL,
        seen_at INTEGER NOT NULL
      ) STRICT;
      -- The anchor output a batch's root was taken against, and the deposits its commit absorbs.
      ALTER TABLE batches ADD COLUMN anchor_ref TEXT;
      ALTER TABLE batches ADD COLUMN deposits TEXT;
    `,
  },
]

/**
 * Brings the file's schema up to the latest migration, each step in its own transaction. Throws if
 * the file is newer than this code.
 *
 * @example
 * migrate(db) // { from: 0, to: 1 } on a fresh file
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.at(-1)?.version ?? 0
  if (from > latest) throw new Error(`the database is at schema version ${from}; this node knows up to ${latest}: upgrade the node`)
  for (const m of migrations) {
    if (m.version <= from) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return { from, to: Math.max(from, latest) }
}
