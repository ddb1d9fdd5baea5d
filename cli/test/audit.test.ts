import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BlockfrostServer } from '@lagoon/devnet'
import { anchorDatumFromData, buildCommitTx } from '@lagoon/sdk/l1'
import type { LagoonNode } from '@lagoon/sequencer/node/openNode'
import { anchorOf, l2tx, submit, tempDir, type L1World } from '../../sdk/test/audit/l1World.js'
import { honestNode, proxy, run, type HonestNode } from './cliSupport.js'

let h: HonestNode
let w: L1World
let node: LagoonNode
let url: string
let bf: BlockfrostServer

beforeAll(async () => {
  h = await honestNode()
  ;({ w, node, url, bf } = h)
}, 120_000)

afterAll(() => h?.close())

describe('lagoon audit', () => {
  it('passes an honest node against layer 1 (human and --json), exit 0', async () => {
    const human = await run(['audit', '--node', url, '--l1', bf.url])
    expect(human.stderr).not.toMatch(/error/)
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^audit passed: instance [0-9a-f]{56}\n/)
    expect(human.stdout).toMatch(/layer 1: {2}2 commitments match the replay \(last: batch 2 at seq \d+\); anchor active/)
    expect(human.stdout).toMatch(/2 absorbed deposits credited, 1 paid exits recorded/)
    const json = await run(['audit', '--node', url, '--l1', bf.url, '--json'])
    expect(json.code).toBe(0)
    const r = JSON.parse(json.stdout)
    const state = (await (await fetch(`${url}/state`)).json()) as { seq: number; root: string }
    expect(r).toMatchObject({ ok: true, instance: w.scripts.policyId, l1: { commitments: 2, lastBatch: 2, depositsAbsorbed: 2, exitsChecked: 1 }, audit: { seq: state.seq, root: state.root }, nodeBatchesChecked: 2 })
  })

  it('without --l1, checks the log and the node’s own batches, and says layer 1 was not read', async () => {
    const r = await run(['audit', '--node', url])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/audit passed \(log only\)/)
    expect(r.stdout).toMatch(/layer 1 was not read: pass --l1 URL/)
  })

  it('resumes from its progress file: a second run downloads only what is new', async () => {
    const file = join(tempDir(), 'audit.log')
    const first = await run(['audit', '--node', url, '--l1', bf.url, '--resume', file])
    expect(first.code).toBe(0)
    expect(existsSync(file) && statSync(file).size > 64).toBe(true)
    const seq = ((await (await fetch(`${url}/state`)).json()) as { seq: number }).seq
    const [alice, bob] = w.users as [NonNullable<(typeof w.users)[0]>, NonNullable<(typeof w.users)[1]>]
    await submit(url, l2tx(w, alice, 2, [{ type: 'transfer', to: bob.account, amount: 1_000_000n }]))
    const p = await proxy(url)
    try {
      const second = await run(['audit', '--node', p.url, '--l1', bf.url, '--resume', file, '--json'])
      expect(second.code).toBe(0)
      expect(second.stderr).toContain(`resuming: ${seq} entries already in ${file}`)
      expect(JSON.parse(second.stdout).audit.seq).toBe(seq + 1)
      const logRequests = p.paths.filter((x) => x.startsWith('/log'))
      expect(logRequests.length).toBeGreaterThan(0)
      expect(logRequests.every((x) => x.startsWith(`/log?from=${seq + 1}&`))).toBe(true)
    } finally {
      await p.close()
    }
    const wrongInstance = await run(['audit', '--node', url, '--resume', file, '--instance', 'ab'.repeat(28)])
    expect(wrongInstance.code).toBe(1)
    expect(wrongInstance.stderr).toMatch(/the node serves instance [0-9a-f]+, not abab/)
  })

  it('prints the first divergence with its evidence and exits 3: a root on-chain that does not match', async () => {
    const anchor = await anchorOf(w)
    const d = anchorDatumFromData(anchor.datum!)
    const { tx } = buildCommitTx(w.lucid, w.scripts, { anchor, deposits: [], root: 'cd'.repeat(32), logHead: d.logHead, logSeq: d.logSeq, now: w.devnet.now() })
    const h = await w.devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
    w.devnet.awaitBlock(1)
    try {
      const r = await run(['audit', '--node', url, '--l1', bf.url])
      expect(r.code).toBe(3)
      expect(r.stdout).toContain('AUDIT FAILED')
      expect(r.stdout).toContain('divergence: COMMITMENT_MISMATCH')
      expect(r.stdout).toContain('  batch:    3')
      expect(r.stdout).toContain(`  l1 tx:    ${h}`)
      expect(r.stdout).toContain(`  found:    ${'cd'.repeat(32)}`)
      const j = await run(['audit', '--node', url, '--l1', bf.url, '--json'])
      expect(j.code).toBe(3)
      expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, divergence: { kind: 'COMMITMENT_MISMATCH', batch: 3, field: 'root', l1Tx: h } })
    } finally {
      w.devnet.rollback(1)
    }
  })

  it('catches a node whose GET /batches lies (with and without layer 1)', async () => {
    const p = await proxy(url, (path, body) => (path.startsWith('/batches') ? body.replace(/"root":"[0-9a-f]{64}"/, `"root":"${'00'.repeat(32)}"`) : body))
    try {
      const withL1 = await run(['audit', '--node', p.url, '--l1', bf.url, '--json'])
      expect(withL1.code).toBe(3)
      expect(JSON.parse(withL1.stdout).divergence).toMatchObject({ kind: 'BATCH_MISMATCH', batch: 1, field: 'root' })
      const logOnly = await run(['audit', '--node', p.url, '--json'])
      expect(logOnly.code).toBe(3)
      expect(JSON.parse(logOnly.stdout).divergence).toMatchObject({ kind: 'COMMITMENT_MISMATCH', batch: 1, field: 'root' })
    } finally {
      await p.close()
    }
  })

  it('explains a node that cannot be reached, and bad options', async () => {
    const down = await run(['audit', '--node', 'http://127.0.0.1:9'])
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/error: the node at http:\/\/127\.0\.0\.1:9 does not answer.*\n\s+check --node/)
    const bad = await run(['audit', '--workers', 'x'])
    expect(bad.code).toBe(2)
    const help = await run(['audit', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/exit codes: 0 every check passed, 3 a divergence/)
  })
})
