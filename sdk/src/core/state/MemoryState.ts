import { bytesKey, compareBytes } from '../bytes.js'
import type { Blake2b256 } from '../crypto/blake2b256.js'
import { StateTree } from '../merkle/StateTree.js'
import type { MerkleProof } from '../merkle/proof.js'
import type { LeafFields } from './leafBytes.js'
import { leafHash } from './leafHash.js'
import { recordHash, recordsRoot } from './recordsRoot.js'
import type { AccountState, StateChange, StateView } from './types.js'

interface StoredRecord {
  readonly key: Uint8Array
  readonly value: Uint8Array
  readonly hash: Uint8Array
}

/**
 * The whole state in memory, with its state tree: for tests, auditors, relays and browsers.
 * `apply` reads it as a `StateView`; `commit` writes what `apply` returned; `root` brings the tree
 * up to date (leaves are rehashed lazily, once per touched account).
 *
 * @example
 * const state = new MemoryState(hash)
 * const r = apply(state, task, ctx)
 * if (r.ok) state.commit(r.changes)
 * state.root() // Uint8Array(32)
 */
export class MemoryState implements StateView {
  private readonly accounts = new Map<string, AccountState>()
  private readonly byIndex: Uint8Array[] = []
  private readonly records = new Map<string, Map<string, StoredRecord>>()
  private readonly deposits = new Set<string>()
  private readonly dirty = new Set<number>()
  private readonly tree: StateTree

  constructor(private readonly hash: Blake2b256) {
    this.tree = new StateTree(hash)
  }

  getAccount(id: Uint8Array): AccountState | undefined {
    return this.accounts.get(bytesKey(id))
  }

  getRecord(account: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    return this.records.get(bytesKey(account))?.get(bytesKey(key))?.value
  }

  accountCount(): number {
    return this.byIndex.length
  }

  isDepositCredited(txHash: Uint8Array, index: number): boolean {
    return this.deposits.has(`${bytesKey(txHash)}#${index}`)
  }

  /** Writes the changes `apply` returned. Throws `RangeError` if they are inconsistent (a bug). */
  commit(changes: readonly StateChange[]): void {
    for (const c of changes) {
      switch (c.type) {
        case 'account': {
          if (c.created) {
            if (c.account.index !== this.byIndex.length) throw new RangeError(`new account index ${c.account.index} is not ${this.byIndex.length}`)
            this.byIndex.push(c.account.id)
          }
          this.accounts.set(bytesKey(c.account.id), c.account)
          this.dirty.add(c.account.index)
          break
        }
        case 'record': {
          const a = bytesKey(c.account)
          let m = this.records.get(a)
          if (!m) this.records.set(a, (m = new Map()))
          if (c.value === null) m.delete(bytesKey(c.key))
          else m.set(bytesKey(c.key), { key: c.key, value: c.value, hash: recordHash(this.hash, c.key, c.value) })
          const acc = this.accounts.get(a)
          if (acc) this.dirty.add(acc.index)
          break
        }
        case 'deposit':
          this.deposits.add(`${bytesKey(c.txHash)}#${c.index}`)
          break
      }
    }
  }

  /** Every account, in index order. */
  allAccounts(): AccountState[] {
    return this.byIndex.map((id) => this.accounts.get(bytesKey(id))!)
  }

  /** The account's records, sorted by key. */
  recordsOf(account: Uint8Array): { key: Uint8Array; value: Uint8Array }[] {
    const m = this.records.get(bytesKey(account))
    if (!m) return []
    return [...m.values()].sort((a, b) => compareBytes(a.key, b.key)).map(({ key, value }) => ({ key, value }))
  }

  /** The leaf fields of an account: what the state tree and the validators hash. */
  leafFields(account: AccountState): LeafFields {
    const m = this.records.get(bytesKey(account.id))
    const hashes = m ? [...m.values()].sort((a, b) => compareBytes(a.key, b.key)).map((r) => r.hash) : []
    return {
      account: account.id,
      balance: account.balance,
      pendingExit: account.pendingExit,
      nonce: account.nonce,
      recordsRoot: recordsRoot(this.hash, hashes),
    }
  }

  /** The state root: the tree updated with every account touched since the last call. */
  root(): Uint8Array {
    if (this.dirty.size > 0) {
      const updates: [number, Uint8Array][] = []
      for (const i of [...this.dirty].sort((a, b) => a - b)) {
        const acc = this.accounts.get(bytesKey(this.byIndex[i]!))!
        updates.push([i, leafHash(this.hash, this.leafFields(acc))])
      }
      this.tree.setLeaves(updates)
      this.dirty.clear()
    }
    return this.tree.root()
  }

  /** A membership proof of the account under the current `root()`, with its leaf fields. */
  prove(id: Uint8Array): { leaf: LeafFields; proof: MerkleProof } | undefined {
    const acc = this.getAccount(id)
    if (!acc) return undefined
    this.root()
    return { leaf: this.leafFields(acc), proof: this.tree.prove(acc.index) }
  }
}
