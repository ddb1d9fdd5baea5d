/**
 * Issue 14 items 1 and 2 through the command line: a malicious operator (a real node whose sequencer is
 * driven to insert tasks) credits a deposit that layer 1 never had and lets it be withdrawn, or records
 * an exit as paid that layer 1 never paid. `lagoon audit --l1` (in-process and as a real `lagoon`
 * process) exits 3 with the divergence, and shows the money that is missing.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toHex } from '@lagoon/sdk'
import { ADA, commitBatch, l2tx, submit, tempDir } from '../../sdk/test/audit/l1World.js'
import { phantomDepositWithdrawn, phantomExit } from '../../sdk/test/audit/frauds.js'
import { honestNode, run, type HonestNode } from './cliSupport.js'

const BIN = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'lagoon')

/** `lagoon …` as its own process (the TypeScript sources through tsx), asynchronously: the node serves from this process. */
function lagoon(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, LAGOON_RUNTIME: 'source' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += String(d)))
    child.stderr.on('data', (d) => (stderr += String(d)))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('lagoon audit --l1 against a phantom deposit, withdrawn and paid out', { timeout: 180_000 }, () => {
  let h: HonestNode
  let phantom: Awaited<ReturnType<typeof phantomDepositWithdrawn>>
  beforeAll(async () => {
    h = await honestNode()
    phantom = await phantomDepositWithdrawn(h.w, h.url, h.node)
  }, 120_000)
  afterAll(() => h?.close())

  it('exits 3 with DEPOSIT_NOT_ABSORBED and the 30 ADA layer 1 does not hold (human and --json)', async () => {
    const r = await run(['audit', '--node', h.url, '--l1', h.bf.url])
    expect(r.code).toBe(3)
    expect(r.stdout).toContain(`divergence: DEPOSIT_NOT_ABSORBED at seq ${phantom.seq}`)
    expect(r.stdout).toContain(`  deposit:  ${phantom.outRef}`)
    expect(r.stdout).toContain(`  batch:    ${phantom.batch}`)
    expect(r.stdout).toMatch(/CONSERVATION FAILS at seq \d+: layer 1 holds 30 ADA less than layer 2 owes/)
    const j = await run(['audit', '--node', h.url, '--l1', h.bf.url, '--json'])
    expect(j.code).toBe(3)
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, divergence: { kind: 'DEPOSIT_NOT_ABSORBED', seq: phantom.seq, outRef: phantom.outRef, batch: phantom.batch }, conservation: { settled: true, ok: false, difference: String(-30n * ADA) } })
  })

  it('lagoon relay --l1 diverges on it and exits 3 when stopped', async () => {
    const ctl = new AbortController()
    let out: { text(): string } | undefined
    const done = run(['relay', '--from', h.url, '--db', join(tempDir(), 'relay.db'), '--port', '0', '--l1', h.bf.url], { signal: ctl.signal, live: (s) => (out = s.stdout) })
    const lines = () => (out?.text() ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>)
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline && !lines().some((l) => l.msg?.startsWith('DIVERGENCE'))) await new Promise((r) => setTimeout(r, 50))
    const url = lines().find((l) => l.msg === 'relay listening')!.url as string
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(503)
    expect(((await health.json()) as { relay: { divergence: unknown } }).relay.divergence).toMatchObject({ kind: 'DEPOSIT_NOT_ABSORBED', outRef: phantom.outRef })
    ctl.abort(new Error('SIGINT'))
    expect((await done).code).toBe(3)
  })

  it('exits 3 from a real lagoon process too', async () => {
    const r = await lagoon(['audit', '--node', h.url, '--l1', h.bf.url, '--json'])
    expect(r.stderr).not.toMatch(/error/)
    expect(r.code).toBe(3)
    expect(JSON.parse(r.stdout).divergence).toMatchObject({ kind: 'DEPOSIT_NOT_ABSORBED', outRef: phantom.outRef })
  })
})

describe('lagoon audit --l1 against a phantom exit payment', { timeout: 180_000 }, () => {
  let h: HonestNode
  beforeAll(async () => {
    h = await honestNode()
  }, 120_000)
  afterAll(() => h?.close())

  it('exits 3 with EXIT_NOT_ON_L1: the tx it names does not exist', async () => {
    const alice = h.w.users[0]!
    await submit(h.url, l2tx(h.w, alice, 2, [{ type: 'withdraw', amount: 5n * ADA }]))
    const fake = 'f0'.repeat(32)
    const seq = await phantomExit(h.node, alice, 5n * ADA, fake)
    await commitBatch(h.w, h.node)
    const r = await run(['audit', '--node', h.url, '--l1', h.bf.url])
    expect(r.code).toBe(3)
    expect(r.stdout).toContain(`divergence: EXIT_NOT_ON_L1 at seq ${seq}`)
    expect(r.stdout).toContain(`  account:  ${toHex(alice.account)}`)
    expect(r.stdout).toContain(`  l1 tx:    ${fake}`)
    expect(r.stdout).toContain(`  found:    layer 1 does not know tx ${fake}`)
    const j = await run(['audit', '--node', h.url, '--l1', h.bf.url, '--json'])
    expect(j.code).toBe(3)
    expect(JSON.parse(j.stdout).divergence).toMatchObject({ kind: 'EXIT_NOT_ON_L1', seq, l1Tx: fake })
  })

  it('lagoon status says "recorded by the node as paid, NOT seen on layer 1" for it (and "not seen yet" without --l1)', async () => {
    const alice = toHex(h.w.users[0]!.account)
    const env = { LAGOON_HOME: tempDir() }
    const r = await run(['status', alice, '--node', h.url, '--l1', h.bf.url], { env })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/withdrawal {2}recorded by the node as paid, NOT seen on layer 1: 5 ADA \(batch \d+, tx f0f0/)
    expect(r.stdout).toContain(`layer 1 does not know tx ${'f0'.repeat(32)}`)
    expect(r.stdout).not.toContain('paid on layer 1')
    const j = await run(['status', alice, '--node', h.url, '--l1', h.bf.url, '--json'], { env })
    expect(JSON.parse(j.stdout).withdrawal).toMatchObject({ status: 'recorded', payout: { l1: 'not seen' } })
    const noL1 = await run(['status', alice, '--node', h.url], { env })
    expect(noL1.stdout).toMatch(/withdrawal {2}recorded by the node as paid, not seen on layer 1 yet: 5 ADA/)
    expect(noL1.stdout).toContain('pass --l1 URL to see the payout on layer 1')
  })

  it('lagoon withdraw --wait --l1 does not call it paid: PAYOUT_NOT_SEEN', async () => {
    const alice = h.w.users[0]!
    const dir = tempDir()
    writeFileSync(join(dir, 'alice.sk'), alice.walletKey)
    writeFileSync(join(dir, 'alice.l2key'), toHex(alice.l2Secret))
    const before = ((await (await fetch(`${h.url}/accounts/${toHex(alice.account)}/withdrawals`)).json()) as unknown[]).length
    const done = run(['withdraw', '1', '--wait', '--wallet', join(dir, 'alice.sk'), '--l2-key', join(dir, 'alice.l2key'), '--node', h.url, '--l1', h.bf.url, '--timeout', '3s', '--json'], { env: { LAGOON_HOME: dir } })
    // The operator answers the request with a phantom payout, then commits it.
    const deadline = Date.now() + 20_000
    while (((await (await fetch(`${h.url}/accounts/${toHex(alice.account)}/withdrawals`)).json()) as unknown[]).length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
    await phantomExit(h.node, alice, 1n * ADA, 'f1'.repeat(32))
    await commitBatch(h.w, h.node)
    const r = await done
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'PAYOUT_NOT_SEEN', message: expect.stringContaining(`layer 1 does not know tx ${'f1'.repeat(32)}`) } })
  })
})
