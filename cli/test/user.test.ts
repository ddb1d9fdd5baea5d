/**
 * The user commands of `lagoon` (register, deposit, pay, status, withdraw, refund, exodus) run in-process
 * through `runCli` against a real node on a socket, with `--l1` pointing at the strict devnet's
 * Blockfrost API: human and `--json` output, progress while waiting, and errors with hints.
 */
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toHex } from '../../sdk/src/core/bytes.js'
import { anchorDatumFromData } from '../../sdk/src/l1/index.js'
import { disposeUserWorld, EXODUS_TIMEOUT_MS, K, runLagoon, userWorld, type UserWorld } from './userWorld.js'

describe('lagoon user commands against a node on the strict devnet', () => {
  let w: UserWorld
  let alice: UserWorld['users'][number], bob: UserWorld['users'][number], carol: UserWorld['users'][number]
  /** Produces a block and runs one layer-1 round of the node. */
  const chainMoves = async () => {
    w.devnet.awaitBlock(1)
    await w.tick()
  }
  /**
   * Forces a batch and confirms it, in rounds, until a confirmed batch holds the log through `seq`:
   * a batch the previous test's last rounds left in flight may have been taken before it. The
   * rounds stop at the confirmation, before the poster's payout (its next round).
   */
  const commitBatch = async (seq = 0) => {
    for (let round = 0; round < 5; round++) {
      w.node.l1!.poster.forceBatch()
      await w.tick()
      w.devnet.awaitBlock(1)
      await w.tick()
      if ((w.node.l1!.poster.lastConfirmed()?.lastSeq ?? 0) >= seq) return
    }
    throw new Error(`no confirmed batch holds seq ${seq} after 5 rounds`)
  }
  const lovelaceAt = async (address: string, amount: bigint) => (await w.devnet.getUtxos(address)).filter((x) => x.assets.lovelace === amount).length

  beforeAll(async () => {
    w = await userWorld(3)
    ;[alice, bob, carol] = w.users as [typeof alice, typeof bob, typeof carol]
  })
  afterAll(async () => {
    await disposeUserWorld(w)
  })

  it('register: a new layer-2 key kept in LAGOON_HOME (0600); registering again is harmless', async () => {
    const r = await runLagoon(w, ['register', '--wallet', alice.walletFile, '--json'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const out = r.json<{ account: string; seq: number; l2KeyFile: string; alreadyRegistered: boolean }>()
    expect(out).toMatchObject({ account: toHex(alice.u.account), alreadyRegistered: false })
    expect(out.l2KeyFile).toBe(join(w.env.LAGOON_HOME!, 'keys', w.scripts.policyId, `${toHex(alice.u.account)}.l2key`))
    expect(statSync(out.l2KeyFile).mode & 0o777).toBe(0o600)
    const again = await runLagoon(w, ['register', '--wallet', alice.walletFile])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already registered with this key')
    const human = await runLagoon(w, ['register', '--wallet', bob.walletFile])
    expect(human.stdout).toMatch(new RegExp(`^registered account ${toHex(bob.u.account)} \\(seq \\d+\\)\\nlayer-2 key: `))
  })

  it('deposit: submits, shows confirmations while waiting, and returns once credited', async () => {
    const r = await runLagoon(w, ['deposit', '30', '--wallet', alice.walletFile, '--json'], chainMoves)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const out = r.json<{ amount: string; account: string; credited: { seq: number }; outRef: string }>()
    expect(out).toMatchObject({ amount: '30000000', account: toHex(alice.u.account) })
    expect(out.credited.seq).toBeGreaterThan(0)
    expect(r.stderr).toContain('submitted deposit')
    expect(r.stderr).toMatch(/layer-1 confirmations \d+% \d\/3/)
    const human = await runLagoon(w, ['deposit', '12.5', '--wallet', bob.walletFile], chainMoves)
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toBe(`credited: 12.5 ADA to ${toHex(bob.u.account)} at seq ${out.credited.seq + 1}\n`)
    const status = await runLagoon(w, ['status', '--wallet', alice.walletFile])
    expect(status.stdout).toContain('balance     30 ADA')
    expect(status.stdout).toContain('withdrawal  none')
  })

  it('pay: a layer-2 transfer; clear errors for a bad amount, an empty balance, a missing key', async () => {
    const r = await runLagoon(w, ['pay', toHex(bob.u.account), '2.5', '--wallet', alice.walletFile])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^paid 2.5 ADA to ${toHex(bob.u.account)} \\(tx [0-9a-f]{64}, seq \\d+\\)`))
    const bobStatus = await runLagoon(w, ['status', toHex(bob.u.account), '--json'])
    expect(bobStatus.json()).toMatchObject({ balance: '15000000', pendingExit: '0', registered: true })

    const bad = await runLagoon(w, ['pay', toHex(bob.u.account), '2,5', '--wallet', alice.walletFile])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/error: AMOUNT "2,5" is not an amount of ADA\n\s+use a decimal number of ADA/)
    const broke = await runLagoon(w, ['pay', toHex(bob.u.account), '1000', '--wallet', alice.walletFile, '--json'])
    expect(broke.code).toBe(1)
    expect(broke.json()).toMatchObject({ error: { code: 'INSUFFICIENT_BALANCE', hint: expect.stringContaining('lagoon deposit') } })
    const keyless = await runLagoon(w, ['pay', toHex(bob.u.account), '1', '--wallet', carol.walletFile])
    expect(keyless.code).toBe(1)
    expect(keyless.stderr).toMatch(/error: no layer-2 key for account [0-9a-f]{56} at .*\n\s+register first/)
  })

  it('status and the other commands explain a missing wallet, an unknown account and an unreachable node', async () => {
    const noWallet = await runLagoon(w, ['status'])
    expect(noWallet.code).toBe(1)
    expect(noWallet.stderr).toContain('error: this command needs your layer-1 wallet key\n  pass --wallet FILE')
    const unknown = await runLagoon(w, ['status', toHex(carol.u.account), '--json'])
    expect(unknown.code).toBe(1)
    expect(unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_ACCOUNT' } })
    const down = await runLagoon(w, ['status', toHex(alice.u.account), '--node', 'http://127.0.0.1:9'])
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/error: .*cannot reach http:\/\/127\.0\.0\.1:9.*\n\s+is the node running at http:\/\/127\.0\.0\.1:9\? pass --node URL or set LAGOON_NODE/)
    const noL1 = await runLagoon(w, ['deposit', '5', '--wallet', alice.walletFile], undefined, { LAGOON_L1_URL: '' })
    expect(noL1.code).toBe(1)
    expect(noL1.stderr).toContain('pass --l1 URL')
  })

  it('withdraw --wait: requested → committed → paid by the operator, with progress', async () => {
    const bobBefore = await lovelaceAt(bob.address, 3n * 1_000_000n)
    const r = await runLagoon(w, ['withdraw', '3', '--wait', '--wallet', bob.walletFile, '--json'], async () => {
      w.node.l1!.poster.forceBatch()
      await chainMoves()
    })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.json()).toMatchObject({ status: 'paid', amount: '3000000', account: toHex(bob.u.account), payout: { l1: 'seen' } })
    expect(r.stderr).toContain('waiting for a commitment')
    expect(await lovelaceAt(bob.address, 3_000_000n)).toBe(bobBefore + 1)
    const s = await runLagoon(w, ['status', '--wallet', bob.walletFile])
    expect(s.stdout).toMatch(/withdrawal  paid on layer 1: 3 ADA \(batch \d+, tx [0-9a-f]{64}\)/)
  })

  it('withdraw --self: the user pays their own exit on layer 1 with a locally replayed proof', async () => {
    const req = await runLagoon(w, ['withdraw', '4', '--wallet', alice.walletFile])
    expect(req.code, req.stderr).toBe(0)
    const requestSeq = Number(/^requested 4 ADA \(seq (\d+)\): the operator pays it/.exec(req.stdout)?.[1])
    expect(requestSeq, req.stdout).toBeGreaterThan(0)
    const early = await runLagoon(w, ['withdraw', '--self', '--wallet', alice.walletFile, '--proof-from', 'local', '--json'])
    expect(early.code).toBe(1)
    expect(early.json()).toMatchObject({ error: { code: 'NOTHING_TO_WITHDRAW', hint: expect.stringContaining('committed') } })
    await commitBatch(requestSeq)
    const before = await lovelaceAt(alice.address, 4_000_000n)
    // Blocks but no node rounds while it runs: the operator's payout does not race the user.
    const r = await runLagoon(w, ['withdraw', '--self', '--wallet', alice.walletFile, '--proof-from', 'local'], () => void w.devnet.awaitBlock(1))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^withdrew 4 ADA on layer 1 in tx [0-9a-f]{64} \(proof checked against batch \d+\)/)
    expect(await lovelaceAt(alice.address, 4_000_000n)).toBe(before + 1)
    for (let i = 0; i < K; i++) await chainMoves() // the node records the exit; its payout finds nothing left
    expect((await runLagoon(w, ['status', '--wallet', alice.walletFile, '--json'])).json()).toMatchObject({ pendingExit: '0', withdrawal: { status: 'paid', amount: '4000000', payout: { l1: 'seen' } } })
  })

  it('refund: too early, then after the refund time the deposit comes back', async () => {
    const d = await runLagoon(w, ['deposit', '5', '--refund-after', '10m', '--no-wait', '--wallet', carol.walletFile, '--json'])
    expect(d.code, d.stderr).toBe(0)
    const outRef = d.json<{ outRef: string }>().outRef
    await chainMoves()
    const listed = await runLagoon(w, ['status', '--wallet', carol.walletFile])
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toContain(`${outRef}  5 ADA  refundable after`)
    const early = await runLagoon(w, ['refund', outRef, '--wallet', carol.walletFile])
    expect(early.code).toBe(1)
    expect(early.stderr).toMatch(/error: deposit .* is refundable after .*\n\s+try again after the time above/)
    w.devnet.awaitSlot(10 * 60 + 40)
    const r = await runLagoon(w, ['refund', '--wallet', carol.walletFile, '--json'], () => void w.devnet.awaitBlock(1))
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.json()).toMatchObject({ amount: '5000000', outRefs: [outRef] })
    await chainMoves()
  })

  it('exodus: the operator stops; freeze after the timeout and withdraw balance + pending exit from the log an audit kept', async () => {
    await runLagoon(w, ['withdraw', '2', '--wallet', bob.walletFile])
    await commitBatch()
    // Two ways to keep the log while the node is up: a CBOR page of GET /log, or an audit's progress file.
    const logFile = join(w.dir, 'log.cbor')
    writeFileSync(logFile, new Uint8Array(await (await fetch(`${w.running.url}/log?from=1&limit=10000`)).arrayBuffer()))
    const auditFile = join(w.dir, 'log.bin')
    const audited = await runLagoon(w, ['audit', '--resume', auditFile, '--json'])
    expect(audited.code, audited.stdout + audited.stderr).toBe(0)
    const bobState = (await runLagoon(w, ['status', '--wallet', bob.walletFile, '--json'])).json<{ balance: string; pendingExit: string }>()
    expect(bobState.pendingExit).toBe('2000000')
    await w.stop()
    const early = await runLagoon(w, ['exodus', '--wallet', bob.walletFile, '--log', logFile])
    expect(early.code).toBe(1)
    expect(early.stderr).toContain('the node at')
    expect(early.stderr).toMatch(/error: the operator committed at .*; the anchor can be frozen after/)
    w.devnet.awaitSlot(EXODUS_TIMEOUT_MS / 1000 + 40)
    const total = BigInt(bobState.balance) + BigInt(bobState.pendingExit)
    const r = await runLagoon(w, ['exodus', '--wallet', bob.walletFile, '--log', auditFile, '--json'], () => void w.devnet.awaitBlock(1))
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.json()).toMatchObject({ account: toHex(bob.u.account), amount: total.toString(), freeze: { batch: expect.any(Number) } })
    w.devnet.awaitBlock(1)
    const anchor = (await w.devnet.getUtxos(w.scripts.anchorAddress)).find((x) => x.assets[w.scripts.unit] === 1n)!
    expect(anchorDatumFromData(anchor.datum!).mode).toBe('frozen')
    expect(await lovelaceAt(bob.address, total)).toBe(1)
  })
})
