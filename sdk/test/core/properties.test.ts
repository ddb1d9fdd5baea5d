import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { blake2b256Reference as hash } from '../../src/core/crypto/blake2b256.js'
import { DEFAULT_LIMITS } from '../../src/core/limits.js'
import { MemoryLedger } from '../../src/core/ledger/MemoryLedger.js'
import { verifyProof } from '../../src/core/merkle/proof.js'
import { leafHash } from '../../src/core/state/leafHash.js'
import { totalValue } from '../../src/core/state/totalValue.js'
import { decodeTask } from '../../src/core/task/decodeTask.js'
import type { Task } from '../../src/core/task/types.js'
import { tryDecodeSignedTx } from '../../src/core/tx/decodeSignedTx.js'
import { encodeSignedTx } from '../../src/core/tx/encodeTx.js'
import { DecodeError } from '../../src/errors/DecodeError.js'
import { createNodeEd25519Verify } from '../../src/node/createNodeEd25519Verify.js'
import { context, keyTask, l1Hash, tx, user, type User } from '../support/world.js'

const users: User[] = [1, 2, 3, 4, 5].map(user)
const registrations = users.slice(0, 4).map((u) => keyTask(u)) // user 5 stays keyless (deposit-only)
const ctx = { ...context(), verifyEd25519: createNodeEd25519Verify() }

type Op =
  | { op: 'deposit'; who: number; amount: bigint }
  | { op: 'transfer'; from: number; to: number; amount: bigint; fee: bigint }
  | { op: 'withdraw'; from: number; amount: bigint }
  | { op: 'exit'; who: number; part: number }
  | { op: 'put'; from: number; key: number; size: number }
  | { op: 'delete'; from: number; key: number }
  | { op: 'staleNonce'; from: number }

const who = fc.integer({ min: 0, max: 4 })
const amount = fc.bigInt({ min: 1n, max: 80_000_000n })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('deposit' as const), who, amount }),
  fc.record({ op: fc.constant('transfer' as const), from: who, to: who, amount, fee: fc.bigInt({ min: 0n, max: 1000n }) }),
  fc.record({ op: fc.constant('withdraw' as const), from: who, amount: fc.bigInt({ min: 1_000_000n, max: 50_000_000n }) }),
  fc.record({ op: fc.constant('exit' as const), who, part: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ op: fc.constant('put' as const), from: who, key: fc.integer({ min: 1, max: 4 }), size: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ op: fc.constant('delete' as const), from: who, key: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('staleNonce' as const), from: who }),
)

/** Turns an abstract op into a task against the ledger's current state (some are meant to be refused). */
function toTask(ledger: MemoryLedger, o: Op, n: number): Task | undefined {
  const nonceOf = (u: User) => ledger.state.getAccount(u.account)?.nonce ?? 0
  switch (o.op) {
    case 'deposit':
      return { kind: 'deposit', txHash: l1Hash(n), index: n % 3, owner: users[o.who]!.account, amount: o.amount }
    case 'transfer': {
      const u = users[o.from]!
      return { kind: 'tx', tx: tx(u, nonceOf(u), [{ type: 'transfer', to: users[o.to]!.account, amount: o.amount }], o.fee) }
    }
    case 'withdraw': {
      const u = users[o.from]!
      return { kind: 'tx', tx: tx(u, nonceOf(u), [{ type: 'withdraw', amount: o.amount }]) }
    }
    case 'exit': {
      const acc = ledger.state.getAccount(users[o.who]!.account)
      if (!acc || acc.pendingExit === 0n) return undefined
      return { kind: 'exitPaid', account: acc.id, amount: (acc.pendingExit * BigInt(o.part)) / 100n || 1n, txHash: l1Hash(10_000 + n) }
    }
    case 'put': {
      const u = users[o.from]!
      return { kind: 'tx', tx: tx(u, nonceOf(u), [{ type: 'put', key: new Uint8Array([o.key]), value: new Uint8Array(o.size).fill(n) }]) }
    }
    case 'delete': {
      const u = users[o.from]!
      return { kind: 'tx', tx: tx(u, nonceOf(u), [{ type: 'delete', key: new Uint8Array([o.key]) }]) }
    }
    case 'staleNonce': {
      const u = users[o.from]!
      return { kind: 'tx', tx: tx(u, nonceOf(u) + 1, [{ type: 'withdraw', amount: 1_000_000n }]) }
    }
  }
}

function run(ops: Op[]): { ledger: MemoryLedger; credited: bigint; paid: bigint } {
  const ledger = new MemoryLedger(ctx)
  for (const r of registrations) expect(ledger.submit(r).ok).toBe(true)
  let credited = 0n
  let paid = 0n
  ops.forEach((o, n) => {
    const task = toTask(ledger, o, n)
    if (!task) return
    const r = ledger.submit(task)
    if (r.ok && task.kind === 'deposit') credited += task.amount
    if (r.ok && task.kind === 'exitPaid') paid += task.amount
    // Conservation after every task, applied or refused.
    expect(totalValue(ledger.state.allAccounts())).toBe(credited - paid)
    for (const a of ledger.state.allAccounts()) {
      expect(a.balance >= 0n && a.pendingExit >= 0n).toBe(true)
    }
  })
  return { ledger, credited, paid }
}

describe('protocol core properties', () => {
  it('conserves value across any sequence of tasks, and replaying the log gives the same heads and root', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const { ledger } = run(ops)
        const root = ledger.state.root()
        // Replay from the log's bytes alone, as an auditor would.
        const replay = new MemoryLedger(ctx)
        for (const entry of ledger.log) {
          const r = replay.submit(decodeTask(entry.bytes, hash, DEFAULT_LIMITS))
          expect(r.ok).toBe(true)
          if (r.ok) expect(r.head).toEqual(entry.head)
        }
        expect(replay.state.root()).toEqual(root)
        expect(replay.head).toEqual(ledger.head)
      }),
      { numRuns: 40 },
    )
  })

  it('every account proof verifies under the root, and any one-byte change breaks it', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 30 }), fc.nat(), (ops, pick) => {
        const { ledger } = run(ops)
        const root = ledger.state.root()
        for (const acc of ledger.state.allAccounts()) {
          const p = ledger.state.prove(acc.id)!
          const leaf = leafHash(hash, p.leaf)
          expect(verifyProof(hash, root, leaf, p.proof)).toBe(true)
          const badLeaf = leaf.slice()
          badLeaf[pick % 32]! ^= 1 << pick % 8
          expect(verifyProof(hash, root, badLeaf, p.proof)).toBe(false)
          if (p.proof.siblings.length > 0) {
            const s = p.proof.siblings.slice()
            s[pick % s.length]! ^= 0x80
            expect(verifyProof(hash, root, leaf, { ...p.proof, siblings: s })).toBe(false)
          }
          expect(verifyProof(hash, root, leaf, { ...p.proof, index: p.proof.index ^ 1 })).toBe(false)
          // a leaf with one more lovelace does not verify
          expect(verifyProof(hash, root, leafHash(hash, { ...p.leaf, balance: p.leaf.balance + 1n }), p.proof)).toBe(false)
        }
      }),
      { numRuns: 15 },
    )
  })

  it('the decoders return typed errors on random and mutated bytes, never anything else', () => {
    const valid = tx(users[0]!, 3, [{ type: 'transfer', to: users[1]!.account, amount: 5n }, { type: 'put', key: new Uint8Array([1]), value: new Uint8Array(5) }]).bytes
    const check = (bytes: Uint8Array) => {
      const r = tryDecodeSignedTx(bytes, hash, DEFAULT_LIMITS)
      if (r.ok) {
        // Anything accepted is canonical: re-encoding what was decoded gives back the very bytes.
        expect(encodeSignedTx(r.tx.body, r.tx.signature)).toEqual(bytes)
      } else expect(r.error).toBeInstanceOf(DecodeError)
      try {
        decodeTask(bytes, hash, DEFAULT_LIMITS)
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError)
      }
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), check), { numRuns: 3000 })
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 2 }), (at, byte, how) => {
        const b = Array.from(valid)
        if (how === 0) b[at] = byte
        else if (how === 1) b.splice(at, 0, byte)
        else b.splice(at, 1)
        check(new Uint8Array(b))
      }),
      { numRuns: 3000 },
    )
  })
})
