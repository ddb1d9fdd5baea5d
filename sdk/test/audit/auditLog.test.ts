import { describe, expect, it } from 'vitest'
import { toHex } from '../../src/core/bytes.js'
import { MemoryLedger } from '../../src/core/ledger/MemoryLedger.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../../src/core/log/nextLogHead.js'
import { encodeTask } from '../../src/core/task/encodeTask.js'
import type { Task } from '../../src/core/task/types.js'
import { signEd25519 } from '../../src/core/crypto/ed25519.js'
import { encodeSignedTx } from '../../src/core/tx/encodeTx.js'
import { AuditInterruptedError, auditLog, checkCommitments, type FetchLogPage, type LogEntryBytes } from '../../src/index.js'
import { createWorkerBatchVerifier } from '../../src/audit/node/createWorkerBatchVerifier.js'
import { context, keyTask, l1Hash, tx, user } from '../support/world.js'

const te = (s: string) => new TextEncoder().encode(s)
const [alice, bob, carol] = [user(1), user(2), user(3)]
const ctx = context()

/** An honest log: registrations, deposits, transfers, records, a withdrawal and an exit. */
function honestLog(): { entries: LogEntryBytes[]; ledger: MemoryLedger } {
  const ledger = new MemoryLedger(ctx)
  const tasks: Task[] = [
    keyTask(alice),
    keyTask(bob),
    { kind: 'deposit', txHash: l1Hash(1), index: 0, owner: alice.account, amount: 50_000_000n },
    { kind: 'tx', tx: tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 10_000_000n }], 1000n) },
    { kind: 'tx', tx: tx(alice, 1, [{ type: 'put', key: te('k'), value: te('v') }, { type: 'withdraw', amount: 2_000_000n }]) },
    { kind: 'tx', tx: tx(bob, 0, [{ type: 'transfer', to: alice.account, amount: 1_000_000n }]) },
    { kind: 'tx', tx: tx(bob, 1, [{ type: 'transfer', to: alice.account, amount: 1_000_000n }]) },
    { kind: 'exitPaid', account: alice.account, amount: 2_000_000n, txHash: l1Hash(2) },
    keyTask(bob, { kind: 'rotate', epoch: 1, l2Key: carol.l2Key }),
    { kind: 'tx', tx: tx({ ...bob, l2Secret: carol.l2Secret }, 2, [{ type: 'transfer', to: alice.account, amount: 5n }]) },
    { kind: 'tx', tx: tx(alice, 2, [{ type: 'delete', key: te('k') }]) },
  ]
  for (const t of tasks) {
    const r = ledger.submit(t)
    if (!r.ok) throw new Error(r.rejection.code)
  }
  return { entries: ledger.log.map((e) => ({ seq: e.seq, bytes: e.bytes, head: e.head })), ledger }
}

/** Serves `entries` as GET /log would. */
function serve(entries: readonly LogEntryBytes[], tipSeq = entries.length ? entries[entries.length - 1]!.seq : 0): FetchLogPage {
  return async (from, limit) => {
    const start = entries.findIndex((e, i) => i + 1 >= from)
    const page = start < 0 ? [] : entries.slice(start, start + limit)
    return { entries: page, nextFrom: page.length ? from + page.length : from, tipSeq }
  }
}

/** Recomputes every head, so that tampering is not caught by the chain alone. */
function rechain(entries: LogEntryBytes[]): LogEntryBytes[] {
  let head = GENESIS_LOG_HEAD
  return entries.map((e, i) => {
    head = nextLogHead(ctx.hash, head, i + 1, e.bytes)
    return { seq: i + 1, bytes: e.bytes, head }
  })
}

describe('auditLog', () => {
  it('passes an honest log with the ledger’s head and root, counting every signature', async () => {
    const { entries, ledger } = honestLog()
    for (const pageSize of [1, 3, 100]) {
      const r = await auditLog({ fetchPage: serve(entries), ctx, pageSize })
      expect(r.ok).toBe(true)
      expect(r.seq).toBe(11)
      expect(r.head).toBe(toHex(ledger.head))
      expect(r.root).toBe(toHex(ledger.state.root()))
      expect(r.byKind).toEqual({ tx: 6, register: 2, rotate: 1, deposit: 1, exitPaid: 1 })
      expect(r.signaturesChecked).toBe(9)
      expect(r.inlineVerifies).toBe(0) // the rotation's new key was anticipated
    }
  })

  it('catches one flipped byte in a task: the head does not chain', async () => {
    const { entries } = honestLog()
    const bad = entries.map((e) => ({ ...e }))
    const b = bad[4]!.bytes.slice()
    b[20]! ^= 0x01
    bad[4] = { ...bad[4]!, bytes: b }
    const r = await auditLog({ fetchPage: serve(bad), ctx, pageSize: 2 })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.divergence).toMatchObject({ kind: 'HEAD_MISMATCH', seq: 5, found: toHex(entries[4]!.head), bytes: toHex(b) })
    expect((r.divergence as { expected: string }).expected).toBe(toHex(nextLogHead(ctx.hash, entries[3]!.head, 5, b)))
    expect(r.seq).toBe(4) // everything before checked out
  })

  it('catches one flipped byte even when the operator rechains the heads: refused or undecodable', async () => {
    const { entries } = honestLog()
    const flip = (i: number, at: number) => {
      const bad = entries.map((e) => ({ ...e }))
      const b = bad[i]!.bytes.slice()
      b[at]! ^= 0x01
      bad[i] = { ...bad[i]!, bytes: b }
      return rechain(bad)
    }
    const amountByte = entries[3]!.bytes.length - 64 - 3 - 1 // inside the body: the id changes
    const sig = await auditLog({ fetchPage: serve(flip(3, amountByte)), ctx })
    expect(sig.ok ? undefined : sig.divergence).toMatchObject({ kind: 'REFUSED', seq: 4, rejection: { code: 'BAD_SIGNATURE' }, task: { kind: 'tx', nonce: 0 } })
    const header = await auditLog({ fetchPage: serve(flip(3, 0)), ctx })
    expect(header.ok ? undefined : header.divergence).toMatchObject({ kind: 'UNDECODABLE', seq: 4 })
  })

  it('catches a reordered pair: by seq, by head, and by nonce once rechained', async () => {
    const { entries } = honestLog()
    const swapped = entries.slice()
    ;[swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!]
    const r1 = await auditLog({ fetchPage: serve(swapped), ctx })
    expect(r1.ok ? undefined : r1.divergence).toMatchObject({ kind: 'SEQ_MISMATCH', seq: 6, expected: 6, found: 7 })
    const renumbered = swapped.map((e, i) => ({ ...e, seq: i + 1 }))
    const r2 = await auditLog({ fetchPage: serve(renumbered), ctx })
    expect(r2.ok ? undefined : r2.divergence).toMatchObject({ kind: 'HEAD_MISMATCH', seq: 6 })
    const r3 = await auditLog({ fetchPage: serve(rechain(swapped)), ctx })
    expect(r3.ok ? undefined : r3.divergence).toMatchObject({
      kind: 'REFUSED',
      seq: 6,
      task: { kind: 'tx', signer: toHex(bob.account), nonce: 1 },
      rejection: { code: 'BAD_NONCE', details: { expected: 0, got: 1 } },
    })
  })

  it('catches a forged signature (tx and registration), with the pure and the worker-thread verifier', async () => {
    const { entries } = honestLog()
    const honest = tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 10_000_000n }], 1000n)
    const forgedTx = encodeSignedTx(honest.body, signEd25519(carol.l2Secret, honest.id))
    const bad = entries.slice()
    bad[3] = { ...bad[3]!, bytes: encodeTask({ kind: 'tx', tx: { ...honest, signature: forgedTx.subarray(forgedTx.length - 64), bytes: forgedTx } }) }
    const verifier = createWorkerBatchVerifier({ workers: 2, minPerWorker: 1 })
    try {
      for (const v of [undefined, verifier]) {
        const r = await auditLog({ fetchPage: serve(rechain(bad)), ctx, ...(v ? { verifier: v } : {}) })
        expect(r.ok ? undefined : r.divergence).toMatchObject({ kind: 'REFUSED', seq: 4, rejection: { code: 'BAD_SIGNATURE' }, task: { txId: toHex(honest.id) } })
        expect(r.seq).toBe(3)
      }
      const good = await auditLog({ fetchPage: serve(entries), ctx, verifier })
      expect(good.ok).toBe(true)
    } finally {
      await verifier.close()
    }
    const badReg = entries.slice()
    badReg[1] = { ...badReg[1]!, bytes: encodeTask({ ...keyTask(carol), account: bob.account }) }
    const r = await auditLog({ fetchPage: serve(rechain(badReg)), ctx })
    expect(r.ok ? undefined : r.divergence).toMatchObject({ kind: 'REFUSED', seq: 2, rejection: { code: 'BAD_AUTHORIZATION' }, task: { kind: 'register' } })
  })

  it('catches a head that does not chain', async () => {
    const { entries } = honestLog()
    const bad = entries.slice()
    const forged = new Uint8Array(32).fill(7)
    bad[7] = { ...bad[7]!, head: forged }
    const r = await auditLog({ fetchPage: serve(bad), ctx, pageSize: 4 })
    expect(r.ok ? undefined : r.divergence).toMatchObject({ kind: 'HEAD_MISMATCH', seq: 8, found: toHex(forged), expected: toHex(entries[7]!.head) })
    expect(r.seq).toBe(7)
    expect(r.head).toBe(toHex(entries[6]!.head))
  })

  it('catches withheld entries', async () => {
    const { entries } = honestLog()
    const r = await auditLog({ fetchPage: serve(entries.slice(0, 6), 11), ctx })
    expect(r.ok ? undefined : r.divergence).toMatchObject({ kind: 'MISSING_ENTRIES', expected: 11, found: 6 })
  })

  it('resumes from a checkpoint and after an interrupted download', async () => {
    const { entries, ledger } = honestLog()
    const first = await auditLog({ fetchPage: serve(entries), ctx, to: 5, pageSize: 2 })
    expect(first).toMatchObject({ ok: true, seq: 5, tasks: 5 })
    const rest = await auditLog({ fetchPage: serve(entries), ctx, resume: first.checkpoint })
    expect(rest).toMatchObject({ ok: true, seq: 11, tasks: 6, root: toHex(ledger.state.root()) })
    let calls = 0
    const flaky: FetchLogPage = async (from, limit) => {
      if (++calls === 3) throw new Error('connection reset')
      return serve(entries)(from, limit)
    }
    // A page that fails once is retried (a keep-alive socket closed by the server)…
    const retried = await auditLog({ fetchPage: flaky, ctx, pageSize: 3 })
    expect(retried).toMatchObject({ ok: true, seq: 11 })
    expect(calls).toBe(5) // pages at 1, 4, 7 (failed once, then served), 10
    // …and one that keeps failing interrupts the audit with a checkpoint.
    calls = 0
    const down: FetchLogPage = async (from, limit) => {
      if (++calls >= 3) throw new Error('connection refused')
      return serve(entries)(from, limit)
    }
    const e = await auditLog({ fetchPage: down, ctx, pageSize: 3, retries: 2 }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(AuditInterruptedError)
    expect(calls).toBe(5) // the third page tried three times
    const cp = (e as AuditInterruptedError).checkpoint
    expect(cp.seq).toBe(6)
    const done = await auditLog({ fetchPage: serve(entries), ctx, resume: cp })
    expect(done).toMatchObject({ ok: true, seq: 11, head: toHex(ledger.head) })
  })

  it('records roots for commitments and checks them', async () => {
    const { entries } = honestLog()
    const r = await auditLog({ fetchPage: serve(entries), ctx, rootsAt: [4, 8] })
    const at = (s: number) => r.roots.find((x) => x.seq === s)!
    const commitments = [4, 8].map((seq, i) => ({ batch: i + 1, seq, head: at(seq).head, root: at(seq).root }))
    expect(checkCommitments(r, commitments)).toEqual({ ok: true, checked: 2 })
    const bad = checkCommitments(r, [commitments[0]!, { ...commitments[1]!, root: '00'.repeat(32) }])
    expect(bad.ok ? undefined : bad.divergence).toMatchObject({ kind: 'COMMITMENT_MISMATCH', batch: 2, seq: 8, field: 'root', found: '00'.repeat(32), expected: at(8).root })
    expect(checkCommitments(r, [{ batch: 3, seq: 99, head: '', root: '' }]).ok).toBe(false)
  })
})
