import type { LeafFields } from '../core.js'

/** An account's leaf and tree index, as the state tree hashes it. */
export interface IndexedLeaf {
  readonly index: number
  readonly leaf: LeafFields
}

/**
 * The leaves of the accounts changed since a moment (a batch's root), as they were at that moment:
 * with the current state it answers "this account's leaf at the batch" without a copy of a million
 * accounts and without replaying the log. `SqliteState.journal()` opens one; the state notes each
 * account the first time a commit changes it (`null`: the account did not exist yet). Close it when
 * the batch's view is dropped, or it keeps recording.
 *
 * @example
 * const j = state.journal()          // at the batch's root
 * // … commits …
 * j.has(key) ? j.get(key) : state.leafOfAccount(id)
 * j.close()
 */
export class LeafJournal {
  private readonly before = new Map<string, IndexedLeaf | null>()

  constructor(private readonly onClose: (j: LeafJournal) => void) {}

  /** Accounts noted so far. */
  get size(): number {
    return this.before.size
  }

  /**
   * Whether the account (a `bytesKey`) changed since the journal opened.
   *
   * @example
   * journal.has(bytesKey(id))
   */
  has(key: string): boolean {
    return this.before.has(key)
  }

  /**
   * The account's leaf when the journal opened (null: it did not exist); undefined if not noted.
   *
   * @example
   * journal.get(bytesKey(id))?.leaf.balance
   */
  get(key: string): IndexedLeaf | null | undefined {
    return this.before.get(key)
  }

  /**
   * Notes the account's leaf before its first change since the journal opened (later calls for the
   * same account are ignored: the first is the value at the journal's moment).
   *
   * @example
   * if (!journal.has(k)) journal.note(k, state.leafOfAccount(id) ?? null)
   */
  note(key: string, value: IndexedLeaf | null): void {
    if (!this.before.has(key)) this.before.set(key, value)
  }

  /**
   * Stops recording and frees what was noted.
   *
   * @example
   * journal.close()
   */
  close(): void {
    this.before.clear()
    this.onClose(this)
  }
}
