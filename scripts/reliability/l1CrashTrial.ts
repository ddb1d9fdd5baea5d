import { toHex } from '../../sdk/src/core/bytes.js'
import { checkConservation } from '../../sdk/src/conservation/checkConservation.js'
import type { LagoonNode } from '../../sequencer/src/node/openNode.js'
import { gatherConservation } from '../../test/reliability/support/gatherConservation.js'
import type { SubmitFault } from '../../test/reliability/support/FaultyChain.js'
import {
  ADA,
  anchorBatch,
  checkChainHistory,
  crash,
  deposit,
  disposeWorld,
  l1World,
  l2tx,
  openWorldNode,
  registerAll,
  worldChain,
} from '../../test/reliability/support/l1World.js'
import { replayNodeLog } from '../../test/reliability/support/replayNodeLog.js'

/** Where a layer-1 crash trial kills the node. */
export type L1CrashPoint =
  /** the commit tx built, the batch row written, the tx never sent */
  | 'commit:beforeSubmit'
  /** the commit tx reached the chain; the node died before recording its hash */
  | 'commit:afterSubmit'
  /** the commit recorded as submitted, still in the mempool */
  | 'commit:inMempool'
  /** the commit in a block, not yet marked confirmed by the node */
  | 'commit:inBlock'
  | 'exit:beforeSubmit'
  | 'exit:afterSubmit'
  | 'exit:inMempool'
  /** the Withdraw in a block, its exits not yet recorded (k confirmations) */
  | 'exit:beforeRecorded'

/**
 * Every crash point, in the order the full run cycles through them.
 *
 * @example
 * for (const p of L1_CRASH_POINTS) await runL1CrashTrial(p)
 */
export const L1_CRASH_POINTS: readonly L1CrashPoint[] = [
  'commit:beforeSubmit',
  'commit:afterSubmit',
  'commit:inMempool',
  'commit:inBlock',
  'exit:beforeSubmit',
  'exit:afterSubmit',
  'exit:inMempool',
  'exit:beforeRecorded',
]

/** What one trial found. */
export interface L1CrashResult {
  readonly point: L1CrashPoint
  readonly ok: boolean
  readonly problems: string[]
  readonly commits: number
  readonly exitsPaid: string
  readonly restarts: number
  readonly ms: number
}

/**
 * One crash trial with a chain that outlives the node: an in-process node on a strict devnet shared
 * across restarts (an embedded chain would die with a killed process). Users deposit, pay each other
 * and request withdrawals; the node commits a batch and pays the exits; at `point` the node is
 * killed (abandoned without close, its file reopened by a new node on the same chain), `extraBlocks`
 * blocks pass while it is down, and the restarted node must finish the work. Then: no batch posted
 * twice or skipped, every exit paid exactly once, nothing credited twice, the root equal to a fresh
 * replay of the log, conservation exact.
 *
 * @example
 * const r = await runL1CrashTrial('commit:afterSubmit', { seed: 3 })
 */
export async function runL1CrashTrial(point: L1CrashPoint, opts: { seed?: number; extraBlocks?: number } = {}): Promise<L1CrashResult> {
  const started = Date.now()
  const seed = opts.seed ?? 1
  const w = await l1World(3)
  const chain = await worldChain(w, seed)
  const problems: string[] = []
  let node: LagoonNode = await openWorldNode(w, chain)
  let restarts = 0
  const restart = async () => {
    await crash(node)
    for (let i = 0; i < (opts.extraBlocks ?? seed % 3); i++) w.devnet.awaitBlock(1)
    node = await openWorldNode(w, chain)
    restarts++
  }
  try {
    await registerAll(w, node)
    const [a, b, c] = w.users as [NonNullable<(typeof w.users)[0]>, NonNullable<(typeof w.users)[1]>, NonNullable<(typeof w.users)[2]>]
    for (const u of [a, b, c]) await deposit(w, u, 40n * ADA)
    w.devnet.awaitBlock(3)
    await node.l1!.tick()
    const requested = new Map<string, bigint>()
    const pendingLeft = () => w.users.filter((u) => (node.sequencer.state.getAccount(u.account)?.pendingExit ?? 0n) > 0n).length
    const withdraw = async (u: typeof a, nonce: number, amount: bigint) => {
      await node.sequencer.submitTx(l2tx(w, u, nonce, [{ type: 'withdraw', amount }]).bytes)
      requested.set(toHex(u.account), (requested.get(toHex(u.account)) ?? 0n) + amount)
    }
    await node.sequencer.submitTx(l2tx(w, a, 0, [{ type: 'transfer', to: b.account, amount: 5n * ADA }]).bytes)
    await withdraw(a, 1, 3n * ADA + BigInt(seed))
    await withdraw(b, 0, 7n * ADA)
    await withdraw(c, 0, 2n * ADA)
    node.l1!.poster.forceBatch()

    const [phase, when] = point.split(':') as ['commit' | 'exit', string]
    const fault: SubmitFault | null = when === 'beforeSubmit' ? 'crashBefore' : when === 'afterSubmit' ? 'crashAfter' : null
    let armed = true
    const isCommitSubmit = () => node.l1!.poster.lastConfirmed() === undefined
    for (let round = 0; round < 60; round++) {
      if (armed) {
        const inPhase = phase === 'commit' ? isCommitSubmit() : !isCommitSubmit()
        if (inPhase && fault) chain.nextSubmits.splice(0, chain.nextSubmits.length, fault)
      }
      const submitsBefore = chain.submits.length
      await node.l1!.tick()
      if (armed && chain.crashed) {
        armed = false
        chain.crashed = false
        chain.nextSubmits.length = 0
        await restart()
      } else if (armed && !fault && chain.submits.length > submitsBefore) {
        const inPhase = phase === 'commit' ? chain.submits.length === 1 : chain.submits.length > 1
        if (inPhase) {
          armed = false
          if (when === 'inMempool') await restart()
          else if (when === 'inBlock' || when === 'beforeRecorded') {
            w.devnet.awaitBlock(1)
            await node.l1!.tick() // the poster may see the commit confirmed here: that is fine, the crash follows
            await restart()
          }
        }
      }
      w.devnet.awaitBlock(1)
      const done =
        (await anchorBatch(w)) >= 1 &&
        node.l1!.poster.lastConfirmed()?.number === 1 &&
        pendingLeft() === 0
      if (done && !armed) break
    }
    if (armed) problems.push(`the crash point ${point} was never reached`)
    const hist = await checkChainHistory(w, requested)
    problems.push(...hist.problems)
    if (hist.commits !== 1) problems.push(`${hist.commits} commits on chain, expected 1`)
    for (const [acct, amount] of requested) {
      if ((hist.paid.get(acct) ?? 0n) !== amount) problems.push(`account ${acct.slice(0, 8)} paid ${hist.paid.get(acct) ?? 0n} of ${amount}`)
    }
    const pending = pendingLeft()
    if (pending !== 0) problems.push(`${pending} accounts still have a pending exit`)
    const deposits = node.db.prepare(`SELECT count(*) FROM log WHERE kind = 3`).pluck().get() as number
    if (deposits !== 3) problems.push(`${deposits} deposit credits in the log, expected 3`)
    const replay = replayNodeLog(node)
    if (replay.duplicates.length > 0) problems.push(`tasks applied twice: ${replay.duplicates.join(', ')}`)
    if (replay.root !== toHex(node.sequencer.state.root())) problems.push(`root ${toHex(node.sequencer.state.root())} ≠ replay ${replay.root}`)
    const cons = checkConservation(await gatherConservation(node, chain, w.scripts))
    if (!cons.ok) problems.push(cons.summary)
    const paidTotal = [...hist.paid.values()].reduce((x, y) => x + y, 0n)
    return { point, ok: problems.length === 0, problems, commits: hist.commits, exitsPaid: paidTotal.toString(), restarts, ms: Date.now() - started }
  } finally {
    await node.close().catch(() => {})
    disposeWorld(w)
  }
}
