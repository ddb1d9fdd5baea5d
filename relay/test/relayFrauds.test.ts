/**
 * Issue 14 through a relay: a node that withholds the tail of its log behind a confirmed batch (or calls
 * a batch confirmed that its log never reaches) makes the relay diverge, not report live; a relay that is
 * merely behind says so, with the reason; and with `--l1`, a phantom deposit credit or exit payment
 * inserted by the operator (a real node's sequencer driven to do it) is a divergence.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toHex } from '@lagoon/sdk'
import { devnetReader } from '@lagoon/sdk/audit-l1'
import type { LagoonNode } from '@lagoon/sequencer/node/openNode'
import type { RunningServer } from '@lagoon/sequencer/node/startServer'
import { startRelay, type RunningRelay } from '../src/index.js'
import { ADA, commitBatch, honestHistory, l1World, l2tx, startL1Node, submit, tempDir, type L1World } from '../../sdk/test/audit/l1World.js'
import { phantomDeposit, phantomExit, withholdingProxy } from '../../sdk/test/audit/frauds.js'

const relays: RunningRelay[] = []
const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const r of relays) await r.stop()
  for (const c of closers) await c()
})

async function until(what: string, cond: () => boolean | Promise<boolean>, watched?: RunningRelay, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}${watched ? `; relay ${JSON.stringify(watched.relay.status())}` : ''}`)
}

async function relay(from: string, extra: Partial<Parameters<typeof startRelay>[0]> = {}): Promise<RunningRelay> {
  const r = await startRelay({ from, db: join(tempDir(), 'relay.db'), port: 0, pollMs: 50, verifyWorkers: 1, ...extra })
  relays.push(r)
  return r
}

async function world(): Promise<{ w: L1World; node: LagoonNode; running: RunningServer; url: string }> {
  const w = await l1World()
  const n = await startL1Node(w)
  closers.push(() => n.running.stop())
  await honestHistory(w, n.url, n.node)
  return { w, ...n }
}

describe('relay: a confirmed batch beyond the log it holds', () => {
  let h: Awaited<ReturnType<typeof world>>
  let batch2: { number: number; lastSeq: number }
  beforeAll(async () => {
    h = await world()
    batch2 = ((await (await fetch(`${h.url}/batches`)).json()) as { number: number; lastSeq: number }[])[1]!
  }, 120_000)

  it('diverges (COMMITMENT_MISMATCH, field seq) when the node withholds the tail behind batch 2, and never reports live past batch 1', async () => {
    const p = await withholdingProxy(h.url, { cut: () => batch2.lastSeq - 2 })
    closers.push(p.close)
    const r = await relay(p.url)
    const seen = new Set<string>()
    await until('the relay diverges', () => (seen.add(r.relay.status().status), r.relay.status().status === 'diverged'), r)
    expect(r.relay.status()).toMatchObject({ seq: batch2.lastSeq - 2, checkedBatch: 1, divergence: { kind: 'COMMITMENT_MISMATCH', batch: 2, seq: batch2.lastSeq, field: 'seq' } })
    expect(r.relay.status().divergence!.message).toContain(`serves its log only to seq ${batch2.lastSeq - 2}`)
    expect([...seen]).not.toContain('live')
    const health = await fetch(`${r.url}/health`)
    expect(health.status).toBe(503)
  })

  it('diverges when the node calls a batch confirmed at a seq its log never reaches (batch 3 at seq 5000)', async () => {
    const p = await withholdingProxy(h.url, { batches: (rows) => [...rows, { ...rows[rows.length - 1]!, number: 3, lastSeq: 5000, status: 'confirmed' }] })
    closers.push(p.close)
    const r = await relay(p.url)
    await until('the relay diverges', () => r.relay.status().status === 'diverged', r)
    expect(r.relay.status()).toMatchObject({ checkedBatch: 2, divergence: { kind: 'COMMITMENT_MISMATCH', batch: 3, seq: 5000, field: 'seq' } })
  })

  it('reports behind, with the reason, while a confirmed batch is past what it holds; live once it catches up and checks it', async () => {
    let held: (() => void) | undefined
    let holding = false
    const p = await withholdingProxy(h.url, { hold: (from) => (holding && from > batch2.lastSeq ? new Promise<void>((go) => (held = go)) : undefined) })
    closers.push(p.close)
    const r = await relay(p.url)
    await until('the relay is live at batch 2', () => r.relay.status().status === 'live' && r.relay.status().checkedBatch === 2, r)
    holding = true // the node's pages after batch 2 now stall
    // The relay's catch-up hangs on that page (holding its lock) before the node confirms batch 3: the
    // relay must still learn of batch 3 and say it is behind.
    await until("the relay's next page is held", () => held !== undefined, r)
    const [alice, bob] = h.w.users as [NonNullable<L1World['users'][0]>, NonNullable<L1World['users'][1]>]
    await submit(h.url, l2tx(h.w, alice, 2, [{ type: 'transfer', to: bob.account, amount: 1n * ADA }]))
    const b3 = await commitBatch(h.w, h.node)
    await until('the relay says it is behind', () => r.relay.status().status === 'behind', r)
    const s = r.relay.status()
    expect(s.reason).toBe(`batch ${b3} is confirmed at seq ${batch2.lastSeq + 1}; the relay holds the log to seq ${batch2.lastSeq} and is catching up`)
    expect(s.checkedBatch).toBe(2)
    const health = (await (await fetch(`${r.url}/health`)).json()) as { status: string; relay: { status: string; reason: string } }
    expect(health).toMatchObject({ status: 'ok', relay: { status: 'behind', reason: s.reason } })
    holding = false
    held?.()
    await until('the relay checks batch 3 and is live again', () => r.relay.status().status === 'live' && r.relay.status().checkedBatch === b3, r)
    expect(r.relay.status().reason).toBeUndefined()
  })

  it('with --l1, diverges on a phantom deposit credited after the last batch (DEPOSIT_NOT_ON_L1), without waiting for a batch', async () => {
    const r = await relay(h.url, { l1: { reader: devnetReader(h.w.devnet), instance: h.w.scripts } })
    await until('the relay is live', () => r.relay.status().status === 'live' && r.relay.status().checkedBatch === 3, r)
    const phantom = await phantomDeposit(h.node, h.w.users[1]!, 30n * ADA)
    await until('the relay diverges', () => r.relay.status().status === 'diverged', r)
    expect(r.relay.status().divergence).toMatchObject({ kind: 'DEPOSIT_NOT_ON_L1', seq: phantom.seq, outRef: phantom.outRef })
  })
})

describe('relay --l1: a phantom exit payment', () => {
  it('diverges with EXIT_NOT_ON_L1', async () => {
    const h = await world()
    const r = await relay(h.url, { l1: { reader: devnetReader(h.w.devnet), instance: h.w.scripts } })
    await until('the relay is live', () => r.relay.status().status === 'live' && r.relay.status().checkedBatch === 2, r)
    const alice = h.w.users[0]!
    await submit(h.url, l2tx(h.w, alice, 2, [{ type: 'withdraw', amount: 5n * ADA }]))
    const fake = 'f0'.repeat(32)
    const seq = await phantomExit(h.node, alice, 5n * ADA, fake)
    await until('the relay diverges', () => r.relay.status().status === 'diverged', r)
    expect(r.relay.status().divergence).toMatchObject({ kind: 'EXIT_NOT_ON_L1', seq, account: toHex(alice.account), l1Tx: fake })
  }, 120_000)
})
