import type { AccountState } from '../core.js'

/** Account ids are layer-1 payment key hashes: 28 bytes. */
export const ACCOUNT_ID_BYTES = 28
const KEY_BYTES = 32
const U64_MAX = (1n << 64n) - 1n

/**
 * Every account's state in packed typed arrays, indexed by the account's tree index, with an
 * open-addressing hash table from id to index: about 100 bytes per account (1,000,000 accounts
 * ≈ 100 MB) instead of ~400 for a `Map` of `AccountState` objects with bigints and byte arrays.
 * Amounts above 2^64 − 1 (impossible for ADA, but the type allows them) spill into a side map.
 * `get` builds a fresh `AccountState` (callers may keep it: later writes do not change it).
 *
 * @example
 * const t = new AccountTable()
 * t.put({ id, index: 0, l2Key: null, keyEpoch: 0, balance: 5n, pendingExit: 0n, nonce: 0, recordCount: 0 })
 * t.get(t.find(id))!.balance // 5n
 */
export class AccountTable {
  private cap: number
  private n = 0
  private ids: Uint8Array
  private keys: Uint8Array
  private hasKey: Uint8Array
  private epochs: Uint32Array
  private balances: BigUint64Array
  private exits: BigUint64Array
  private nonces: Float64Array
  private recordCounts: Uint32Array
  /** Slot → index + 1 (0: empty). Power-of-two size, at most half full. */
  private slots: Int32Array
  private readonly big = new Map<number, { balance?: bigint; pendingExit?: bigint }>()

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity)
    this.ids = new Uint8Array(this.cap * ACCOUNT_ID_BYTES)
    this.keys = new Uint8Array(this.cap * KEY_BYTES)
    this.hasKey = new Uint8Array(this.cap)
    this.epochs = new Uint32Array(this.cap)
    this.balances = new BigUint64Array(this.cap)
    this.exits = new BigUint64Array(this.cap)
    this.nonces = new Float64Array(this.cap)
    this.recordCounts = new Uint32Array(this.cap)
    this.slots = new Int32Array(pow2AtLeast(this.cap * 2))
  }

  /** How many accounts (the next account's index). */
  get size(): number {
    return this.n
  }

  /** Bytes held by the arrays (for metrics and the benchmark). */
  get byteLength(): number {
    return (
      this.ids.byteLength +
      this.keys.byteLength +
      this.hasKey.byteLength +
      this.epochs.byteLength +
      this.balances.byteLength +
      this.exits.byteLength +
      this.nonces.byteLength +
      this.recordCounts.byteLength +
      this.slots.byteLength
    )
  }

  /**
   * The index of the account with this id, or -1.
   *
   * @example
   * t.find(id) >= 0
   */
  find(id: Uint8Array): number {
    if (id.length !== ACCOUNT_ID_BYTES) return -1
    const mask = this.slots.length - 1
    for (let s = hashId(id) & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!
      if (v === 0) return -1
      if (this.idEquals(v - 1, id)) return v - 1
    }
  }

  /**
   * The account at `index` (a fresh object), or undefined past the end.
   *
   * @example
   * t.get(0)?.nonce
   */
  get(index: number): AccountState | undefined {
    if (index < 0 || index >= this.n) return undefined
    const big = this.big.get(index)
    return {
      id: this.ids.slice(index * ACCOUNT_ID_BYTES, (index + 1) * ACCOUNT_ID_BYTES),
      index,
      l2Key: this.hasKey[index] === 1 ? this.keys.slice(index * KEY_BYTES, (index + 1) * KEY_BYTES) : null,
      keyEpoch: this.epochs[index]!,
      balance: big?.balance ?? this.balances[index]!,
      pendingExit: big?.pendingExit ?? this.exits[index]!,
      nonce: this.nonces[index]!,
      recordCount: this.recordCounts[index]!,
    }
  }

  /**
   * The id of the account at `index` (a copy).
   *
   * @example
   * toHex(t.idAt(0))
   */
  idAt(index: number): Uint8Array {
    if (index < 0 || index >= this.n) throw new RangeError(`no account at index ${index}`)
    return this.ids.slice(index * ACCOUNT_ID_BYTES, (index + 1) * ACCOUNT_ID_BYTES)
  }

  /**
   * Writes an account: a new one must take the next index (`size`), an existing one keeps its id.
   *
   * @example
   * t.put({ ...t.get(i)!, balance: 7n })
   */
  put(a: AccountState): void {
    const i = a.index
    if (a.id.length !== ACCOUNT_ID_BYTES) throw new RangeError(`account id must be ${ACCOUNT_ID_BYTES} bytes, got ${a.id.length}`)
    if (a.l2Key && a.l2Key.length !== KEY_BYTES) throw new RangeError(`l2 key must be ${KEY_BYTES} bytes, got ${a.l2Key.length}`)
    if (!Number.isInteger(a.keyEpoch) || a.keyEpoch < 0 || a.keyEpoch > 0xffffffff) throw new RangeError(`key epoch out of range: ${a.keyEpoch}`)
    if (!Number.isInteger(a.recordCount) || a.recordCount < 0 || a.recordCount > 0xffffffff) throw new RangeError(`record count out of range: ${a.recordCount}`)
    if (a.balance < 0n || a.pendingExit < 0n) throw new RangeError('amounts are never negative')
    if (i === this.n) {
      if (this.find(a.id) >= 0) throw new RangeError('an account with this id exists')
      if (this.n === this.cap) this.grow()
      this.ids.set(a.id, i * ACCOUNT_ID_BYTES)
      this.n++
      if (this.n * 2 > this.slots.length) this.rehash(this.slots.length * 2)
      else this.insertSlot(i)
    } else if (i >= 0 && i < this.n) {
      if (!this.idEquals(i, a.id)) throw new RangeError(`account index ${i} belongs to another id`)
    } else {
      throw new RangeError(`account index ${i} is not below ${this.n}`)
    }
    if (a.l2Key) {
      this.keys.set(a.l2Key, i * KEY_BYTES)
      this.hasKey[i] = 1
    } else {
      this.hasKey[i] = 0
    }
    this.epochs[i] = a.keyEpoch
    this.nonces[i] = a.nonce
    this.recordCounts[i] = a.recordCount
    const bigBalance = a.balance > U64_MAX
    const bigExit = a.pendingExit > U64_MAX
    this.balances[i] = bigBalance ? 0n : a.balance
    this.exits[i] = bigExit ? 0n : a.pendingExit
    if (bigBalance || bigExit) this.big.set(i, { ...(bigBalance ? { balance: a.balance } : {}), ...(bigExit ? { pendingExit: a.pendingExit } : {}) })
    else if (this.big.size > 0) this.big.delete(i)
  }

  private idEquals(index: number, id: Uint8Array): boolean {
    const o = index * ACCOUNT_ID_BYTES
    const ids = this.ids
    for (let k = 0; k < ACCOUNT_ID_BYTES; k++) if (ids[o + k] !== id[k]) return false
    return true
  }

  private insertSlot(index: number): void {
    const mask = this.slots.length - 1
    const o = index * ACCOUNT_ID_BYTES
    let s = hashId(this.ids.subarray(o, o + ACCOUNT_ID_BYTES)) & mask
    while (this.slots[s] !== 0) s = (s + 1) & mask
    this.slots[s] = index + 1
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size)
    for (let i = 0; i < this.n; i++) this.insertSlot(i)
  }

  private grow(): void {
    const cap = this.cap * 2
    const grown = <T extends Uint8Array | Uint32Array | BigUint64Array | Float64Array>(a: T, make: (n: number) => T, per = 1): T => {
      const b = make(cap * per)
      b.set(a as never)
      return b
    }
    this.ids = grown(this.ids, (k) => new Uint8Array(k), ACCOUNT_ID_BYTES)
    this.keys = grown(this.keys, (k) => new Uint8Array(k), KEY_BYTES)
    this.hasKey = grown(this.hasKey, (k) => new Uint8Array(k))
    this.epochs = grown(this.epochs, (k) => new Uint32Array(k))
    this.balances = grown(this.balances, (k) => new BigUint64Array(k))
    this.exits = grown(this.exits, (k) => new BigUint64Array(k))
    this.nonces = grown(this.nonces, (k) => new Float64Array(k))
    this.recordCounts = grown(this.recordCounts, (k) => new Uint32Array(k))
    this.cap = cap
  }
}

function pow2AtLeast(n: number): number {
  let p = 16
  while (p < n) p *= 2
  return p
}

/** FNV-1a over the id's bytes (ids are hashes, but tests use patterned ones). */
function hashId(id: Uint8Array): number {
  let h = 0x811c9dc5
  for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id[k]!, 0x01000193)
  return h >>> 0
}
