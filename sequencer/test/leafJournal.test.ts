/**
 * SqliteState's leaf journals: what a committed batch's view answers for accounts changed after it.
 */
import { describe, expect, it } from 'vitest'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import type { AccountState } from '../../sdk/src/core/state/types.js'
import { user } from '../../sdk/test/support/world.js'
import { bytesKey } from '../src/storage/bytesKey.js'
import { openDatabase } from '../src/storage/openDatabase.js'
import { SqliteState } from '../src/storage/SqliteState.js'
import { tempDb } from './support/harness.js'

const account = (i: number, balance: bigint): AccountState => ({ id: user(i).account, index: i - 1, l2Key: null, keyEpoch: 0, balance, pendingExit: 0n, nonce: 0, recordCount: 0 })

describe('leaf journals', () => {
  it('note each account once, as it was when the journal opened; survive a reload; stop when closed', async () => {
    const hash = await loadBlake2b256()
    const db = openDatabase(tempDb(), 'normal')
    let state = SqliteState.load(db, hash, 0)
    const commit = (...changes: Parameters<SqliteState['commit']>[0]) => db.transaction(() => state.commit(changes))()
    commit({ type: 'account', account: account(1, 10n), created: true })
    const atBatch = state.leafOfAccount(user(1).account)!
    const j = state.journal()
    expect(j.size).toBe(0)

    commit({ type: 'account', account: account(1, 7n), created: false })
    commit({ type: 'account', account: account(1, 3n), created: false }) // a second change: the first note stands
    commit({ type: 'account', account: account(2, 5n), created: true }) // created after: noted absent
    expect(j.get(bytesKey(user(1).account))).toEqual(atBatch)
    expect(j.get(bytesKey(user(2).account))).toBeNull()
    expect(j.has(bytesKey(user(3).account))).toBe(false)

    // A record change alters the leaf (records root): noted before it, once.
    const later = state.journal()
    commit({ type: 'record', account: user(1).account, key: new Uint8Array([1]), value: new Uint8Array([2]) }, { type: 'account', account: { ...account(1, 3n), recordCount: 1 }, created: false })
    expect(later.get(bytesKey(user(1).account))!.leaf.balance).toBe(3n)
    expect(later.get(bytesKey(user(1).account))!.leaf.recordsRoot).toEqual(atBatch.leaf.recordsRoot)

    // After a reload (a rolled-back group) the journals go on recording in the new state.
    state = state.reload(0)
    commit({ type: 'account', account: account(2, 9n), created: false })
    expect(later.get(bytesKey(user(2).account))!.leaf.balance).toBe(5n)

    j.close()
    expect(j.size).toBe(0)
    commit({ type: 'account', account: { ...account(1, 1n), recordCount: 1 }, created: false })
    expect(j.has(bytesKey(user(1).account))).toBe(false) // closed: nothing noted
    later.close()
    db.close()
  })
})
