import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toHex } from '../../src/core/bytes.js'
import { loadBlake2b256 } from '../../src/core/crypto/blake2b256.js'
import { signEd25519 } from '../../src/core/crypto/ed25519.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../../src/core/log/nextLogHead.js'
import { decodeTask } from '../../src/core/task/decodeTask.js'
import { encodeTask } from '../../src/core/task/encodeTask.js'
import type { ApplyContext } from '../../src/core/state/types.js'
import { encodeSignedTx } from '../../src/core/tx/encodeTx.js'
import { createNodeEd25519Verify } from '../../src/node/createNodeEd25519Verify.js'
import { createLagoonClient, getLogPage, type FetchLogPage, type LogEntryBytes } from '../../src/index.js'
import { buildCommitTx, anchorDatumFromData } from '../../src/l1/index.js'
import { serveBlockfrost } from '@lagoon/devnet'
import type { LagoonNode } from '../../../sequencer/src/node/openNode.js'
import type { RunningServer } from '../../../sequencer/src/node/startServer.js'
import { ADA, anchorOf, deposit, honestHistory, l1World, startL1Node, type L1World } from './l1World.js'
import { user } from '../support/world.js'
import { auditWithL1, checkNodeBatches, confirmedNumbers, devnetReader, type NodeBatch, blockfrostReader, readAnchorHistory } from '../../src/audit/l1/index.js'

let w: L1World
let node: LagoonNode
let running: RunningServer
let url: string
let ctx: ApplyContext

beforeAll(async () => {
  w = await l1World()
  ;({ node, running, url } = await startL1Node(w))
  await honestHistory(w, url, node)
  ctx = { params: node.params, hash: await loadBlake2b256(), verifyEd25519: createNodeEd25519Verify() }
}, 120_000)

afterAll(async () => {
  await running?.stop()
})

const nodeBatches = async (): Promise<NodeBatch[]> => (await (await fetch(`${url}/batches?limit=1000`)).json()) as NodeBatch[]

/** The node's real log, through `edit` (tampering as a lying node would serve it). */
function served(edit: (entries: LogEntryBytes[]) => LogEntryBytes[]): FetchLogPage {
  let all: LogEntryBytes[] | undefined
  return async (from, limit) => {
    if (!all) all = edit([...(await getLogPage(createLagoonClient({ url }), { from: 1, limit: 10_000 })).entries])
    const page = all.slice(from - 1, from - 1 + limit)
    return { entries: page, nextFrom: from + page.length, tipSeq: all.length }
  }
}

function rechain(entries: LogEntryBytes[]): LogEntryBytes[] {
  let head = GENESIS_LOG_HEAD
  return entries.map((e, i) => {
    head = nextLogHead(ctx.hash, head, i + 1, e.bytes)
    return { seq: i + 1, bytes: e.bytes, head }
  })
}

const audit = (extra: Partial<Parameters<typeof auditWithL1>[0]> = {}) =>
  auditWithL1({ client: createLagoonClient({ url }), ctx, l1: devnetReader(w.devnet), instance: w.scripts, pageSize: 3, ...extra })

/** Posts a commitment with the operator's key directly (not through the node), one block, and returns its tx hash. */
async function rogueCommit(p: { root?: string; deposits?: boolean }): Promise<string> {
  const anchor = await anchorOf(w)
  const d = anchorDatumFromData(anchor.datum!)
  const deposits = p.deposits ? (await w.devnet.getUtxos(w.scripts.depositAddress)).slice(0, 1) : []
  const { tx } = buildCommitTx(w.lucid, w.scripts, { anchor, deposits, root: p.root ?? d.root, logHead: d.logHead, logSeq: d.logSeq, now: w.devnet.now() })
  const h = await w.devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
  w.devnet.awaitBlock(1)
  return h
}

describe('auditWithL1: the log against the commitments read from layer 1 (strict devnet, real node)', () => {
  it('passes the honest history: every commitment, absorbed deposit and paid exit checks out', async () => {
    const r = await audit({ nodeBatches: await nodeBatches() })
    expect(r.divergence).toBeUndefined()
    expect(r.ok).toBe(true)
    expect(r.steps.map((s) => s.kind)).toEqual(['genesis', 'commit', 'withdraw', 'commit'])
    expect(r.l1).toMatchObject({ ok: true, commitments: 2, lastBatch: 2, depositsAbsorbed: 2, exitsChecked: 1, creditedNotAbsorbed: 0, mode: 'active' })
    expect(r.nodeBatchesChecked).toBe(2)
    const state = (await (await fetch(`${url}/state`)).json()) as { seq: number; root: string }
    expect(r.audit).toMatchObject({ ok: true, seq: state.seq, root: state.root })
    expect(r.l1.lastCommittedSeq).toBe(state.seq)
  })

  it('lists the node’s batches before and after reading the chain when given a function (a node that posts meanwhile)', async () => {
    const calls: number[] = []
    const r = await audit({
      // First call: as if fetched just before batch 2 was posted; second: the node's list now.
      nodeBatches: async () => (calls.push(calls.length), calls.length === 1 ? (await nodeBatches()).slice(0, 1) : await nodeBatches()),
    })
    expect(calls).toEqual([0, 1])
    expect(r).toMatchObject({ ok: true, nodeBatchesChecked: 2 })
  })

  it('reads the same history over a Blockfrost-compatible HTTP API (the devnet\'s serveBlockfrost)', async () => {
    const bf = await serveBlockfrost(w.devnet, { projectId: 'devnet-project' })
    try {
      const viaHttp = await readAnchorHistory({ l1: blockfrostReader({ url: bf.url, projectId: 'devnet-project' }), instance: w.scripts })
      const inProcess = await readAnchorHistory({ l1: devnetReader(w.devnet), instance: w.scripts })
      expect(viaHttp).toEqual(inProcess)
      const r = await audit({ l1: blockfrostReader({ url: bf.url, projectId: 'devnet-project' }) })
      expect(r.ok).toBe(true)
      await expect(readAnchorHistory({ l1: blockfrostReader({ url: bf.url, projectId: 'wrong' }), instance: w.scripts })).rejects.toMatchObject({ code: 'L1_UNAVAILABLE' })
    } finally {
      await bf.close()
    }
  })

  it('catches one flipped byte in a task (even with the heads recomputed)', async () => {
    const flip = (rechained: boolean) =>
      served((es) => {
        const i = es.findIndex((e) => decodeTask(e.bytes, ctx.hash, ctx.params.limits).kind === 'tx')
        const b = es[i]!.bytes.slice()
        b[b.length - 70]! ^= 0x01
        es[i] = { ...es[i]!, bytes: b }
        return rechained ? rechain(es) : es
      })
    const r1 = await audit({ fetchPage: flip(false) })
    expect(r1.ok).toBe(false)
    expect(r1.divergence).toMatchObject({ kind: 'HEAD_MISMATCH' })
    const r2 = await audit({ fetchPage: flip(true) })
    expect(r2.divergence).toMatchObject({ kind: 'REFUSED', rejection: { code: 'BAD_SIGNATURE' } })
    expect(r2.divergence!.seq).toBeGreaterThan(0)
  })

  it('catches a reordered pair (rechained: the nonce order breaks)', async () => {
    const fetchPage = served((es) => {
      const txs = es.map((e, i) => [i, decodeTask(e.bytes, ctx.hash, ctx.params.limits)] as const).filter(([, t]) => t.kind === 'tx')
      // Alice's two transfers, nonce 0 then 1: swap them.
      const [a, b] = [txs[0]![0], txs[2]![0]]
      ;[es[a], es[b]] = [es[b]!, es[a]!]
      return rechain(es)
    })
    const r = await audit({ fetchPage })
    expect(r.ok).toBe(false)
    expect(r.divergence).toMatchObject({ kind: 'REFUSED', rejection: { code: 'BAD_NONCE' } })
  })

  it('catches a forged signature: with the heads rechained, the commitment to the honest head fails too', async () => {
    const fetchPage = served((es) => {
      const i = es.findIndex((e) => decodeTask(e.bytes, ctx.hash, ctx.params.limits).kind === 'tx')
      const t = decodeTask(es[i]!.bytes, ctx.hash, ctx.params.limits)
      if (t.kind !== 'tx') throw new Error('unreachable')
      const forged = encodeSignedTx(t.tx.body, signEd25519(user(9).l2Secret, t.tx.id))
      es[i] = { ...es[i]!, bytes: encodeTask({ kind: 'tx', tx: { ...t.tx, signature: forged.subarray(forged.length - 64), bytes: forged } }) }
      return rechain(es)
    })
    const r = await audit({ fetchPage })
    expect(r.ok).toBe(false)
    expect(r.divergence).toMatchObject({ kind: 'REFUSED', rejection: { code: 'BAD_SIGNATURE' }, task: { kind: 'tx' } })
  })

  it('catches a node that withholds the tail of the log behind a commitment', async () => {
    const r = await audit({ fetchPage: served((es) => es.slice(0, es.length - 2)) })
    expect(r.divergence).toMatchObject({ kind: 'COMMITMENT_MISMATCH', batch: 2, field: 'seq' })
  })

  it('catches a node whose GET /batches lies about a commitment', async () => {
    const honest = await nodeBatches()
    const steps = (await audit()).steps
    const lie = honest.map((b) => (b.number === 1 ? { ...b, root: '00'.repeat(32) } : b))
    expect(checkNodeBatches(lie, steps)).toMatchObject({ ok: false, divergence: { kind: 'BATCH_MISMATCH', batch: 1, field: 'root' } })
    expect(checkNodeBatches(honest.slice(1), steps)).toMatchObject({ ok: false, divergence: { kind: 'BATCH_MISMATCH', batch: 1, field: 'presence' } })
    const fake = [...honest, { ...honest[1]!, number: 3 }]
    expect(checkNodeBatches(fake, steps)).toMatchObject({ ok: false, divergence: { kind: 'BATCH_MISMATCH', batch: 3, field: 'presence' } })
  })

  it('judges a live node by two lists: commitments against the list fetched after the chain read, confirmations against the one before', async () => {
    const honest = await nodeBatches()
    const steps = (await audit()).steps
    // Listed before the node posted batch 2 (the list a relay or an auditor may have fetched first).
    const before = honest.slice(0, 1)
    expect(checkNodeBatches(before, steps)).toMatchObject({ ok: false, divergence: { field: 'presence', batch: 2 } })
    expect(checkNodeBatches(honest, steps, { confirmedBefore: confirmedNumbers(before) })).toMatchObject({ ok: true, checked: 2 })
    // Confirmed only after the chain was read: not yet required on the chain …
    const lateConfirmed = [...honest, { ...honest[1]!, number: 3, status: 'confirmed' }]
    expect(checkNodeBatches(lateConfirmed, steps, { confirmedBefore: confirmedNumbers(honest) })).toMatchObject({ ok: true, checked: 2 })
    // … but confirmed before it and missing there is an invented commitment.
    expect(checkNodeBatches(lateConfirmed, steps, { confirmedBefore: confirmedNumbers(lateConfirmed) })).toMatchObject({ ok: false, divergence: { field: 'presence', batch: 3 } })
    // A commitment the node still does not list after the chain read is hidden, whatever it listed before.
    expect(checkNodeBatches(before, steps, { confirmedBefore: new Set() })).toMatchObject({ ok: false, divergence: { field: 'presence', batch: 2, found: 'not listed' } })
  })

  it('catches a root on-chain that does not match (a commitment posted with the operator key)', async () => {
    const bad = 'ab'.repeat(32)
    const tx = await rogueCommit({ root: bad })
    try {
      const r = await audit()
      expect(r.ok).toBe(false)
      expect(r.divergence).toMatchObject({ kind: 'COMMITMENT_MISMATCH', batch: 3, field: 'root', found: bad, expected: r.audit.root, l1Tx: tx })
    } finally {
      w.devnet.rollback(1)
    }
    expect((await audit()).ok).toBe(true)
  })

  it('catches a deposit absorbed on-chain but never credited', async () => {
    const [alice] = w.users
    const dep = await deposit(w, alice!, 3n * ADA)
    w.devnet.awaitBlock(1) // not credited: the node is not even polled
    const tx = await rogueCommit({ deposits: true })
    try {
      const r = await audit()
      expect(r.ok).toBe(false)
      expect(r.divergence).toMatchObject({ kind: 'DEPOSIT_NOT_CREDITED', batch: 3, outRef: `${dep}#0`, found: 'never credited', l1Tx: tx })
      expect((r.divergence as { expected: string }).expected).toContain(toHex(alice!.account))
    } finally {
      w.devnet.rollback(2)
    }
  })
})
