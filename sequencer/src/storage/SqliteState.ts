import type Database from 'better-sqlite3'
import {
  leafHash,
  recordHash,
  recordsRoot,
  StateTree,
  type AccountState,
  type Blake2b256,
  type LeafFields,
  type StateChange,
  type StateView,
  type Task,
} from '../core.js'
import { AccountTable } from './AccountTable.js'
import { bytesKey } from './bytesKey.js'
import { LeafJournal } from './LeafJournal.js'

interface AccountRow {
  id: Buffer
  idx: number
  l2_key: Buffer | null
  key_epoch: number
  balance: string
  pending_exit: string
  nonce: number
  record_count: number
  leaf: Buffer | null
}

/** How the state tree was restored when the file was opened. */
export type TreeRestore = 'empty' | 'levels' | 'leaves'

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b)

function toAccount(r: AccountRow): AccountState {
  return {
    id: u8(r.id),
    index: r.idx,
    l2Key: r.l2_key ? u8(r.l2_key) : null,
    keyEpoch: r.key_epoch,
    balance: BigInt(r.balance),
    pendingExit: BigInt(r.pending_exit),
    nonce: r.nonce,
    recordCount: r.record_count,
  }
}

/**
 * The state DB on SQLite, as the core's `StateView`. The node is the only writer, so every account
 * is also cached in memory, packed in an `AccountTable` (~100 bytes per account; a lookup is a
 * hash-table probe); records are read from SQLite
 * with prepared statements. `commit` writes what `apply` returned and must run inside the caller's
 * transaction (the applier's group commit). The state tree is kept in memory and updated lazily by
 * `root()`, which also persists the touched leaves; `saveTree()` snapshots the level buffers, so a
 * restart loads them instead of rehashing (or, after a crash, rebuilds from the stored leaves).
 *
 * @example
 * const state = SqliteState.load(db, hash)
 * db.transaction(() => {
 *   const r = apply(state, task, ctx)
 *   if (r.ok) state.commit(r.changes)
 * })()
 * state.root()
 */
export class SqliteState implements StateView {
  private readonly accounts = new AccountTable()
  private readonly dirty = new Set<number>()
  private tree: StateTree
  private restoredFrom: TreeRestore = 'empty'
  /** Open journals (committed batches' views); carried over by `reload`. */
  private journals = new Set<LeafJournal>()
  private readonly stmt

  private constructor(
    private readonly db: Database.Database,
    private readonly hash: Blake2b256,
  ) {
    this.stmt = {
      upsertAccount: db.prepare(
        `INSERT INTO accounts (id, idx, l2_key, key_epoch, balance, pending_exit, nonce, record_count, leaf)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (id) DO UPDATE SET l2_key = excluded.l2_key, key_epoch = excluded.key_epoch,
           balance = excluded.balance, pending_exit = excluded.pending_exit, nonce = excluded.nonce,
           record_count = excluded.record_count, leaf = NULL`,
      ),
      getRecord: db.prepare<[Uint8Array, Uint8Array], Buffer>('SELECT value FROM records WHERE account = ? AND key = ?').pluck(),
      putRecord: db.prepare(
        'INSERT INTO records (account, key, value, hash) VALUES (?, ?, ?, ?) ON CONFLICT (account, key) DO UPDATE SET value = excluded.value, hash = excluded.hash',
      ),
      deleteRecord: db.prepare('DELETE FROM records WHERE account = ? AND key = ?'),
      recordHashes: db.prepare<[Uint8Array], Buffer>('SELECT hash FROM records WHERE account = ? ORDER BY key').pluck(),
      recordsOf: db.prepare<[Uint8Array], { key: Buffer; value: Buffer }>('SELECT key, value FROM records WHERE account = ? ORDER BY key'),
      depositCredited: db
        .prepare<[Uint8Array, number], number>(`SELECT 1 FROM deposits WHERE tx_hash = ? AND out_index = ? AND status <> 'seen'`)
        .pluck(),
      creditDeposit: db.prepare(
        `INSERT INTO deposits (tx_hash, out_index, owner, amount, status, credited_seq) VALUES (?, ?, ?, ?, 'credited', ?)
         ON CONFLICT (tx_hash, out_index) DO UPDATE SET status = 'credited', credited_seq = excluded.credited_seq`,
      ),
      setLeaf: db.prepare('UPDATE accounts SET leaf = ? WHERE id = ?'),
    }
    this.tree = new StateTree(hash)
  }

  /**
   * Loads the state from an opened, migrated database: all accounts into memory, then the tree from
   * the level snapshot if it is current (`lastSeq` = the log's last seq), else from the stored leaves
   * (recomputing the stale ones).
   *
   * @example
   * const state = SqliteState.load(db, await loadBlake2b256(), log.lastSeq())
   */
  static load(db: Database.Database, hash: Blake2b256, lastSeq = 0): SqliteState {
    const s = new SqliteState(db, hash)
    const rows = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY idx').iterate()
    let stale = 0
    for (const r of rows) {
      const a = toAccount(r)
      if (a.index !== s.accounts.size) throw new Error(`accounts table: index ${a.index} where ${s.accounts.size} was expected`)
      s.accounts.put(a)
      if (!r.leaf) stale++
    }
    if (s.accounts.size === 0) return s
    const treeSeq = db.prepare<[], number>(`SELECT value FROM meta WHERE key = 'tree_seq'`).pluck().get()
    if (stale === 0 && treeSeq === lastSeq) {
      const levels = db.prepare<[], Buffer>('SELECT nodes FROM tree_levels ORDER BY level').pluck().all()
      try {
        s.tree = StateTree.fromLevels(hash, levels.map(u8))
        s.restoredFrom = 'levels'
        return s
      } catch {
        // A snapshot of the wrong shape: fall through to the leaves.
      }
    }
    s.rebuildFromLeaves()
    return s
  }

  private rebuildFromLeaves(): void {
    const leaves = new Uint8Array(32 * this.accounts.size)
    const rows = this.db.prepare<[], { idx: number; leaf: Buffer | null }>('SELECT idx, leaf FROM accounts ORDER BY idx').iterate()
    const stale: number[] = []
    for (const r of rows) {
      if (r.leaf) leaves.set(r.leaf, 32 * r.idx)
      else stale.push(r.idx)
    }
    // Recomputed after the scan: the connection runs one statement at a time.
    const fix: [Uint8Array, Uint8Array][] = []
    for (const i of stale) {
      const leaf = this.leafOf(this.accounts.get(i)!)
      leaves.set(leaf, 32 * i)
      fix.push([leaf, this.accounts.idAt(i)])
    }
    this.db.transaction(() => {
      for (const [leaf, id] of fix) this.stmt.setLeaf.run(leaf, id)
    })()
    this.tree = StateTree.fromLeaves(this.hash, leaves)
    this.restoredFrom = 'leaves'
  }

  /** Bytes held by the in-memory account cache. */
  get cacheBytes(): number {
    return this.accounts.byteLength
  }

  /** How the tree was restored by `load`: from the level snapshot, from the stored leaves, or empty. */
  get treeRestoredFrom(): TreeRestore {
    return this.restoredFrom
  }

  getAccount(id: Uint8Array): AccountState | undefined {
    return this.accounts.get(this.accounts.find(id))
  }

  getRecord(account: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    const v = this.stmt.getRecord.get(account, key)
    return v === undefined ? undefined : u8(v)
  }

  accountCount(): number {
    return this.accounts.size
  }

  isDepositCredited(txHash: Uint8Array, index: number): boolean {
    return this.stmt.depositCredited.get(txHash, index) !== undefined
  }

  /**
   * Writes the changes `apply` returned, inside the caller's transaction. `task` and `seq` fill the
   * deposit row of a credited deposit. If the transaction rolls back, call `reload()`: the memory
   * cache is not transactional.
   *
   * @example
   * db.transaction(() => state.commit(r.changes, task, seq))()
   */
  commit(changes: readonly StateChange[], task?: Task, seq?: number): void {
    if (this.journals.size > 0) this.noteBefore(changes)
    for (const c of changes) {
      switch (c.type) {
        case 'account': {
          const a = c.account
          if (c.created && a.index !== this.accounts.size) throw new RangeError(`new account index ${a.index} is not ${this.accounts.size}`)
          this.stmt.upsertAccount.run(a.id, a.index, a.l2Key, a.keyEpoch, a.balance.toString(), a.pendingExit.toString(), a.nonce, a.recordCount)
          this.accounts.put(a)
          this.dirty.add(a.index)
          break
        }
        case 'record': {
          if (c.value === null) this.stmt.deleteRecord.run(c.account, c.key)
          else this.stmt.putRecord.run(c.account, c.key, c.value, recordHash(this.hash, c.key, c.value))
          const i = this.accounts.find(c.account)
          if (i >= 0) this.dirty.add(i)
          break
        }
        case 'deposit': {
          const d = task?.kind === 'deposit' ? task : undefined
          this.stmt.creditDeposit.run(c.txHash, c.index, d?.owner ?? new Uint8Array(0), (d?.amount ?? 0n).toString(), seq ?? null)
          break
        }
      }
    }
  }

  /**
   * Drops the memory cache and reloads from the file: after a rolled-back transaction. Open journals
   * carry over (what they noted was committed state when noted).
   *
   * @example
   * try { db.transaction(work)() } catch { state = state.reload(lastSeq) }
   */
  reload(lastSeq: number): SqliteState {
    const s = SqliteState.load(this.db, this.hash, lastSeq)
    s.journals = this.journals
    return s
  }

  /**
   * Opens a journal of the leaves as they are now (call between group commits, with the root of a
   * batch): from here on, each account's leaf is noted before its first change.
   *
   * @example
   * const journal = state.journal(); const tree = state.snapshotTree()
   */
  journal(): LeafJournal {
    const open = this.journals
    const j = new LeafJournal((x) => open.delete(x))
    open.add(j)
    return j
  }

  /** Notes, in every open journal that lacks it, the leaf each changed account has before `changes`. */
  private noteBefore(changes: readonly StateChange[]): void {
    for (const c of changes) {
      const id = c.type === 'account' ? c.account.id : c.type === 'record' ? c.account : null
      if (!id) continue
      const key = bytesKey(id)
      let before: ReturnType<SqliteState['leafOfAccount']> | null | undefined
      for (const j of this.journals) {
        if (j.has(key)) continue
        if (before === undefined) before = this.leafOfAccount(id) ?? null
        j.note(key, before)
      }
    }
  }

  private leafOf(a: AccountState): Uint8Array {
    const hashes = a.recordCount > 0 ? this.stmt.recordHashes.all(a.id).map(u8) : []
    return leafHash(this.hash, { account: a.id, balance: a.balance, pendingExit: a.pendingExit, nonce: a.nonce, recordsRoot: recordsRoot(this.hash, hashes) })
  }

  /**
   * The state root: rehashes the accounts touched since the last call, updates the tree and stores
   * their leaves (its own transaction: call it between group commits, never inside one).
   *
   * @example
   * toHex(state.root())
   */
  root(): Uint8Array {
    if (this.dirty.size > 0) {
      // In slices, so that rehashing a million accounts holds a few thousand leaves at a time.
      const dirty = Float64Array.from(this.dirty).sort()
      this.dirty.clear()
      for (let start = 0; start < dirty.length; start += 4096) {
        const updates: [number, Uint8Array][] = []
        for (let k = start; k < Math.min(dirty.length, start + 4096); k++) {
          const i = dirty[k]!
          updates.push([i, this.leafOf(this.accounts.get(i)!)])
        }
        this.db.transaction(() => {
          for (const [i, leaf] of updates) this.stmt.setLeaf.run(leaf, this.accounts.idAt(i))
        })()
        this.tree.setLeaves(updates)
      }
    }
    return this.tree.root()
  }

  /**
   * Snapshots the tree's level buffers, valid for log position `seq`: the next `load` at the same
   * position restores the tree without hashing. Call on shutdown (it writes ~64 bytes per account).
   *
   * @example
   * state.saveTree(log.lastSeq())
   */
  saveTree(seq: number): void {
    this.root()
    const levels = this.tree.toLevels()
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM tree_levels').run()
      const ins = this.db.prepare('INSERT INTO tree_levels (level, nodes) VALUES (?, ?)')
      levels.forEach((nodes, l) => ins.run(l, nodes))
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('tree_seq', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(seq)
    })()
  }

  /**
   * A copy of the state tree at the current root (for proofs under a root the node posts while the
   * state moves on). Call between group commits.
   *
   * @example
   * const tree = state.snapshotTree()
   */
  snapshotTree(): StateTree {
    this.root()
    return this.tree.clone()
  }

  /**
   * An account's leaf fields and tree index (what the state tree and the validators hash), now.
   *
   * @example
   * state.leafOfAccount(id)?.leaf.pendingExit
   */
  leafOfAccount(id: Uint8Array): { index: number; leaf: LeafFields } | undefined {
    const a = this.getAccount(id)
    if (!a) return undefined
    const hashes = a.recordCount > 0 ? this.stmt.recordHashes.all(a.id).map(u8) : []
    return { index: a.index, leaf: { account: a.id, balance: a.balance, pendingExit: a.pendingExit, nonce: a.nonce, recordsRoot: recordsRoot(this.hash, hashes) } }
  }

  /**
   * The account's records, sorted by key.
   *
   * @example
   * state.recordsOf(account).map((r) => toHex(r.key))
   */
  recordsOf(account: Uint8Array): { key: Uint8Array; value: Uint8Array }[] {
    return this.stmt.recordsOf.all(account).map((r) => ({ key: u8(r.key), value: u8(r.value) }))
  }
}
