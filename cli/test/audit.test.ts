import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BlockfrostServer } from '@lagoon/devnet'
import { anchorDatumFromData, buildCommitTx } from '@lagoon/sdk/l1'
import type { LagoonNode } from '@lagoon/sequencer/node/openNode'
import { anchorOf, l2tx, submit, tempDir, type L1World } from '../../sdk/test/audit/l1World.js'
import { honestNode, proxy, run, type HonestNode } from './cliSupport.js'
import { withholdingProxy } from '../../sdk/test/audit/frauds.js'

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
    expect(human.stdout).toMatch(/2 absorbed deposits credited, each by its batch; 0 credited deposits not absorbed yet, 0 of them found on layer 1/)
    expect(human.stdout).toMatch(/1 paid exits recorded; 1 recorded exits each paid by a Withdraw on layer 1/)
    expect(human.stdout).toContain('  ADA:      layer 1 holds 53 ADA for layer 2: anchor 55 ADA − reserve 2 ADA + 0 ADA of credited deposits not absorbed yet')
    expect(human.stdout).toContain('            layer 2 owes 53 ADA: balances 53 ADA + pending exits 0 ADA − 0 ADA paid on layer 1, not recorded yet')
    expect(human.stdout).toMatch(/conservation holds at seq \d+: layer 1 holds exactly what layer 2 owes/)
    const json = await run(['audit', '--node', url, '--l1', bf.url, '--json'])
    expect(json.code).toBe(0)
    const r = JSON.parse(json.stdout)
    const state = (await (await fetch(`${url}/state`)).json()) as { seq: number; root: string }
    expect(r).toMatchObject({ ok: true, instance: w.scripts.policyId, l1: { commitments: 2, lastBatch: 2, depositsAbsorbed: 2, exitsChecked: 1 }, audit: { seq: state.seq, root: state.root }, nodeBatchesChecked: 2 })
    expect(r.events).toEqual({ creditsChecked: 0, exitsPaidChecked: 1 })
    expect(r.conservation).toMatchObject({ ok: true, settled: true, seq: state.seq, layer1: '53000000', layer2: '53000000', difference: '0', anchorLovelace: '55000000', reserveLovelace: '2000000' })
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

  it('without --l1, a batch the node calls confirmed beyond the log it serves is a divergence, exit 3 (issue 14 item 3)', async () => {
    const batches = (await (await fetch(`${url}/batches`)).json()) as { number: number; lastSeq: number; status: string }[]
    const b2 = batches.find((b) => b.number === 2)!
    // The node withholds the tail: its log ends (and it says it ends) two entries before batch 2's seq.
    const short = await withholdingProxy(url, { cut: () => b2.lastSeq - 2 })
    // Or it calls a batch confirmed at a seq its log never reaches.
    const tip = ((await (await fetch(`${url}/state`)).json()) as { seq: number }).seq
    const fake = await withholdingProxy(url, { cut: () => tip, batches: (rows) => [...rows, { ...rows[rows.length - 1]!, number: 3, lastSeq: 5000, status: 'confirmed' }] })
    try {
      const r = await run(['audit', '--node', short.url])
      expect(r.code).toBe(3)
      expect(r.stdout).toContain('AUDIT FAILED')
      expect(r.stdout).toContain(`divergence: COMMITMENT_MISMATCH at seq ${b2.lastSeq}`)
      expect(r.stdout).toContain(`beyond the log the audit checked (it ends at seq ${b2.lastSeq - 2})`)
      expect(r.stdout).not.toContain('match the replay')
      const j = await run(['audit', '--node', fake.url, '--json'])
      expect(j.code).toBe(3)
      expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, divergence: { kind: 'COMMITMENT_MISMATCH', batch: 3, seq: 5000, field: 'seq', found: '5000' } })
      // The same beyond a resumed log: the file holds the whole log, the node still invents batch 3.
      const file = join(tempDir(), 'resumed.log')
      expect((await run(['audit', '--node', url, '--resume', file])).code).toBe(0)
      const resumed = await run(['audit', '--node', fake.url, '--resume', file, '--json'])
      expect(resumed.code).toBe(3)
      expect(JSON.parse(resumed.stdout).divergence).toMatchObject({ kind: 'COMMITMENT_MISMATCH', batch: 3, field: 'seq' })
    } finally {
      await short.close()
      await fake.close()
    }
  })

  it('says a damaged --resume file is the local file’s problem (CORRUPT_LOG_FILE, exit 1), not the node’s head, and works again once it is deleted', async () => {
    const file = join(tempDir(), 'damaged.log')
    expect((await run(['audit', '--node', url, '--l1', bf.url, '--resume', file])).code).toBe(0)
    const b = readFileSync(file)
    b[64 + 44 + 10]! ^= 0x01 // a task byte of the first record
    writeFileSync(file, b)
    const r = await run(['audit', '--node', url, '--l1', bf.url, '--resume', file])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(new RegExp(`^error: the local log file ${file} is damaged at seq 1 \\(byte 64\\).*not what the node serves`))
    expect(r.stderr).toContain(`  delete ${file} (or pass another --resume FILE) and rerun`)
    expect(r.stderr).not.toMatch(/head served|HEAD_MISMATCH|AUDIT FAILED/)
    const j = await run(['audit', '--node', url, '--resume', file, '--json'])
    expect(j.code).toBe(1)
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'CORRUPT_LOG_FILE', hint: expect.stringContaining(`delete ${file}`) } })
    rmSync(file)
    expect((await run(['audit', '--node', url, '--l1', bf.url, '--resume', file])).code).toBe(0)
  })
})
