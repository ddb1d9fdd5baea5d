import { beforeEach, describe, expect, it } from 'vitest'
import { MemoryLedger } from '../../src/core/ledger/MemoryLedger.js'
import type { RejectionCode } from '../../src/core/state/rejection.js'
import { totalValue } from '../../src/core/state/totalValue.js'
import type { Task } from '../../src/core/task/types.js'
import { buildSignedTx } from '../../src/core/tx/buildSignedTx.js'
import { blake2b256Reference as hash } from '../../src/core/crypto/blake2b256.js'
import { INSTANCE, OPERATOR, context, keyTask, l1Hash, tx, user } from '../support/world.js'

const alice = user(1)
const bob = user(2)
const carol = user(3)

let ledger: MemoryLedger
const ok = (t: Task) => {
  const r = ledger.submit(t)
  if (!r.ok) throw new Error(`expected success, got ${r.rejection.code}: ${r.rejection.message}`)
  return r
}
/** Submits a task expected to be refused with `code`, and checks nothing changed. */
const refused = (t: Task, code: RejectionCode) => {
  const root = ledger.state.root()
  const { seq, head } = ledger
  const r = ledger.submit(t)
  expect(r.ok ? 'applied' : r.rejection.code).toBe(code)
  expect(ledger.seq).toBe(seq)
  expect(ledger.head).toEqual(head)
  expect(ledger.state.root()).toEqual(root)
}
const deposit = (owner: Uint8Array, amount: bigint, n: number): Task => ({ kind: 'deposit', txHash: l1Hash(n), index: 0, owner, amount })

beforeEach(() => {
  ledger = new MemoryLedger(context())
  ok(keyTask(alice))
  ok(keyTask(bob))
  ok(deposit(alice.account, 100_000_000n, 1))
})

describe('apply: layer-2 transactions', () => {
  it('transfers, withdraws, pays the fee to the operator, and bumps the nonce', () => {
    ok({ kind: 'tx', tx: tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 30_000_000n }, { type: 'withdraw', amount: 20_000_000n }], 1_000n) })
    const a = ledger.state.getAccount(alice.account)!
    expect(a.balance).toBe(100_000_000n - 30_000_000n - 20_000_000n - 1_000n)
    expect(a.pendingExit).toBe(20_000_000n)
    expect(a.nonce).toBe(1)
    expect(ledger.state.getAccount(bob.account)!.balance).toBe(30_000_000n)
    expect(ledger.state.getAccount(OPERATOR.account)!.balance).toBe(1_000n)
    expect(totalValue(ledger.state.allAccounts())).toBe(100_000_000n)
  })

  it('puts, replaces and deletes records in the signer namespace, and they change the root', () => {
    const k = new TextEncoder().encode('game/score')
    const before = ledger.state.root()
    ok({ kind: 'tx', tx: tx(alice, 0, [{ type: 'put', key: k, value: new Uint8Array([1]) }, { type: 'put', key: k, value: new Uint8Array([2]) }]) })
    expect(ledger.state.getRecord(alice.account, k)).toEqual(new Uint8Array([2]))
    expect(ledger.state.getAccount(alice.account)!.recordCount).toBe(1)
    const withRecord = ledger.state.root()
    expect(withRecord).not.toEqual(before)
    ok({ kind: 'tx', tx: tx(alice, 1, [{ type: 'delete', key: k }]) })
    expect(ledger.state.getRecord(alice.account, k)).toBeUndefined()
    expect(ledger.state.getAccount(alice.account)!.recordCount).toBe(0)
    refused({ kind: 'tx', tx: tx(alice, 2, [{ type: 'delete', key: k }]) }, 'NO_SUCH_RECORD')
  })

  it('rejects each invalid transaction with its code and changes nothing', () => {
    const other = new Uint8Array(28).fill(0x99)
    refused({ kind: 'tx', tx: buildSignedTx({ instance: other, signer: alice.account, nonce: 0, fee: 0n, actions: [{ type: 'withdraw', amount: 1_000_000n }] }, alice.l2Secret, hash) }, 'WRONG_INSTANCE')
    refused({ kind: 'tx', tx: tx(carol, 0, [{ type: 'withdraw', amount: 1_000_000n }]) }, 'UNKNOWN_ACCOUNT')
    // signed by bob's key for alice's account
    refused({ kind: 'tx', tx: buildSignedTx({ instance: INSTANCE, signer: alice.account, nonce: 0, fee: 0n, actions: [{ type: 'withdraw', amount: 1_000_000n }] }, bob.l2Secret, hash) }, 'BAD_SIGNATURE')
    refused({ kind: 'tx', tx: tx(alice, 1, [{ type: 'withdraw', amount: 1_000_000n }]) }, 'BAD_NONCE')
    refused({ kind: 'tx', tx: tx(alice, 0, [{ type: 'transfer', to: carol.account, amount: 1n }]) }, 'UNKNOWN_RECIPIENT')
    refused({ kind: 'tx', tx: tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 60_000_000n }, { type: 'withdraw', amount: 40_000_000n }], 1n) }, 'INSUFFICIENT_BALANCE')
    refused({ kind: 'tx', tx: tx(bob, 0, [{ type: 'transfer', to: alice.account, amount: 1n }]) }, 'INSUFFICIENT_BALANCE')
    // an account made by a deposit has no key until it registers
    ok(deposit(carol.account, 5_000_000n, 2))
    refused({ kind: 'tx', tx: tx(carol, 0, [{ type: 'withdraw', amount: 1_000_000n }]) }, 'NO_KEY')
  })

  it('rejects a tampered signature', () => {
    const t = tx(alice, 0, [{ type: 'withdraw', amount: 1_000_000n }])
    const sig = t.signature.slice()
    sig[0]! ^= 1
    refused({ kind: 'tx', tx: { ...t, signature: sig } }, 'BAD_SIGNATURE')
  })

  it('caps the records an account holds', () => {
    const limits = { ...context().params.limits, maxRecords: 2 }
    ledger = new MemoryLedger({ ...context(), params: { ...context().params, limits } })
    ok(keyTask(alice))
    const put = (n: number) => ({ type: 'put' as const, key: new Uint8Array([n]), value: new Uint8Array(0) })
    ok({ kind: 'tx', tx: tx(alice, 0, [put(1), put(2)]) })
    refused({ kind: 'tx', tx: tx(alice, 1, [put(3)]) }, 'LIMIT_EXCEEDED')
    ok({ kind: 'tx', tx: tx(alice, 1, [put(1)]) }) // replacing is not adding
  })
})

describe('apply: layer-1 events', () => {
  it('credits a deposit once, creating the owner account if needed', () => {
    refused(deposit(alice.account, 1n, 1), 'DUPLICATE_DEPOSIT')
    ok(deposit(carol.account, 7_000_000n, 3))
    const c = ledger.state.getAccount(carol.account)!
    expect(c.balance).toBe(7_000_000n)
    expect(c.index).toBe(2)
    expect(c.l2Key).toBeNull()
  })

  it('pays exits only up to the pending exit', () => {
    ok({ kind: 'tx', tx: tx(alice, 0, [{ type: 'withdraw', amount: 10_000_000n }]) })
    refused({ kind: 'exitPaid', account: alice.account, amount: 10_000_001n, txHash: l1Hash(9) }, 'EXIT_EXCEEDS_PENDING')
    refused({ kind: 'exitPaid', account: carol.account, amount: 1n, txHash: l1Hash(9) }, 'UNKNOWN_ACCOUNT')
    ok({ kind: 'exitPaid', account: alice.account, amount: 10_000_000n, txHash: l1Hash(9) })
    expect(ledger.state.getAccount(alice.account)!.pendingExit).toBe(0n)
    expect(totalValue(ledger.state.allAccounts())).toBe(90_000_000n)
  })
})

describe('apply: registration and key rotation (CIP-8)', () => {
  it('registers with a wallet signature and rotates the key', () => {
    const fresh = user(4)
    ok(keyTask(fresh))
    expect(ledger.state.getAccount(fresh.account)!.l2Key).toEqual(fresh.l2Key)
    refused(keyTask(fresh), 'ALREADY_REGISTERED')
    const newKey = user(5).l2Key
    refused(keyTask(fresh, { kind: 'rotate', epoch: 0, l2Key: newKey }), 'STALE_AUTHORIZATION')
    ok(keyTask(fresh, { kind: 'rotate', epoch: 1, l2Key: newKey }))
    const acc = ledger.state.getAccount(fresh.account)!
    expect(acc.l2Key).toEqual(newKey)
    expect(acc.keyEpoch).toBe(2)
    // replaying the first rotation fails: its epoch is stale now
    refused(keyTask(fresh, { kind: 'rotate', epoch: 1, l2Key: newKey }), 'STALE_AUTHORIZATION')
    refused(keyTask(user(6), { kind: 'rotate', epoch: 0 }), 'UNKNOWN_ACCOUNT')
  })

  it('refuses authorizations for other terms, other instances or signed by another wallet', () => {
    const fresh = user(7)
    refused(keyTask(fresh, { terms: new Uint8Array(32) }), 'WRONG_TERMS')
    refused(keyTask(fresh, { instance: new Uint8Array(28) }), 'WRONG_INSTANCE')
    // mallory's wallet signs an authorization naming fresh's account
    const mallory = user(8)
    const forged = keyTask({ ...mallory, account: fresh.account })
    refused(forged, 'BAD_AUTHORIZATION')
    // a valid signature presented for another account
    refused({ ...keyTask(mallory), account: fresh.account }, 'BAD_AUTHORIZATION')
    // garbage COSE
    refused({ kind: 'register', account: fresh.account, signature: new Uint8Array([0x84, 0x40, 0xa0, 0x40, 0x40]), key: new Uint8Array(3) }, 'BAD_AUTHORIZATION')
    // a tampered payload byte breaks the signature
    const t = keyTask(fresh)
    const sig = t.signature.slice()
    sig[sig.length - 70]! ^= 1
    refused({ ...t, signature: sig }, 'BAD_AUTHORIZATION')
  })
})
