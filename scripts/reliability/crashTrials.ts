import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { prepareNode, spawnNode, type ChildNode } from './childNode.js'
import { LogMirror } from './LogMirror.js'
import { TransferLoad } from './TransferLoad.js'

/** One kill -9 and restart. */
export interface CrashTrial {
  readonly trial: number
  /** ms of load (from the first receipt) before the kill. */
  readonly killAfterMs: number
  /** Receipts answered 200 before the kill. */
  readonly acked: number
  /** Of those, not in the restarted node's log at their seq with their head (must be 0). */
  readonly lost: number
  /** Task ids twice in the log (must be 0). */
  readonly duplicates: number
  /** The restarted node's root, seq and head equal a fresh replay of its log. */
  readonly rootMatches: boolean
  /** Log entries after the restart. */
  readonly seq: number
  /** Tasks in the log beyond the last acknowledged one (applied, answer lost in the kill: allowed). */
  readonly unacknowledgedApplied: number
  /** ms from spawn to listening. */
  readonly restartMs: number
  readonly problems: string[]
}

/** The whole run. */
export interface CrashRun {
  readonly ok: boolean
  readonly trials: CrashTrial[]
  readonly totalAcked: number
  readonly finalSeq: number
  /** GET /log requests the auditor's mirror retried after a socket error. */
  readonly logFetchRetries: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Crash safety against a real process: a node (`lagoon-sequencer start`, a child process, durable
 * receipts) under a steady load of signed transfers from `users` signers is killed with SIGKILL a random
 * 0–1,500 ms after its first receipt, restarted on the same file, and checked: every acknowledged receipt is in the
 * log at its seq with its head, no task id appears twice, and the root, seq and head the node reports
 * equal a fresh replay of its whole log (an auditor's mirror kept across restarts, which also catches
 * a log that changed under an entry it served). The next trial loads the restarted node.
 *
 * @example
 * const run = await runCrashTrials({ trials: 50, onTrial: (t) => console.log(t) })
 */
export async function runCrashTrials(opts: { trials: number; users?: number; seed?: number; minMs?: number; maxMs?: number; onTrial?: (t: CrashTrial) => void }): Promise<CrashRun> {
  const hash = await loadBlake2b256()
  const prepared = await prepareNode({ users: opts.users ?? 16 })
  const mirror = new LogMirror(hash)
  const trials: CrashTrial[] = []
  let rnd = (opts.seed ?? 20261121) >>> 0
  const random = () => {
    rnd ^= rnd << 13
    rnd ^= rnd >>> 17
    rnd ^= rnd << 5
    rnd >>>= 0
    return rnd / 2 ** 32
  }
  let node: ChildNode | null = null
  let totalAcked = 0
  try {
    node = await spawnNode(prepared.configPath)
    await mirror.pull(node.url, prepared.adminToken)
    for (let trial = 1; trial <= opts.trials; trial++) {
      const problems: string[] = []
      const load = new TransferLoad(node.url, prepared.walletToken, prepared.users, hash, { seed: trial })
      await load.syncNonces()
      const minMs = opts.minMs ?? 0
      const killAfterMs = Math.round(minMs + random() * ((opts.maxMs ?? 1500) - minMs))
      load.start()
      // The random moment is counted from the first receipt, so every kill lands under load.
      for (let waited = 0; load.acks.length === 0 && waited < 30_000; waited += 5) await sleep(5)
      await sleep(killAfterMs)
      await node.kill9()
      await load.settled()
      const acks = load.acks
      totalAcked += acks.length
      for (const [k, n] of load.rejections) problems.push(`${n} × rejected ${k} under load`)
      const t0 = performance.now()
      node = await spawnNode(prepared.configPath)
      const restartMs = Math.round(performance.now() - t0)
      const seqBefore = mirror.seq
      try {
        await mirror.pull(node.url, prepared.adminToken)
      } catch (e) {
        problems.push(String((e as Error).message))
      }
      let lost = 0
      let maxAcked = 0
      for (const a of acks) {
        maxAcked = Math.max(maxAcked, a.seq)
        if (mirror.seqOf(a.txId) !== a.seq || mirror.headAt(a.seq) !== a.logHead) lost++
      }
      if (lost > 0) problems.push(`${lost} acknowledged receipts missing from the log`)
      const state = (await (await fetch(`${node.url}/state`)).json()) as { seq: number; logHead: string; root: string }
      const rootMatches = state.seq === mirror.seq && state.logHead === mirror.head && state.root === mirror.root()
      if (!rootMatches) problems.push(`node state ${JSON.stringify(state)} ≠ replay { seq: ${mirror.seq}, head: ${mirror.head}, root: ${mirror.root()} }`)
      if (mirror.duplicates.length > 0) problems.push(`task ids twice in the log: ${mirror.duplicates.slice(0, 5).join(', ')}`)
      if (acks.length === 0) problems.push('no receipt was acknowledged before the kill: the load did not run')
      const t: CrashTrial = {
        trial,
        killAfterMs,
        acked: acks.length,
        lost,
        duplicates: mirror.duplicates.length,
        rootMatches,
        seq: mirror.seq,
        unacknowledgedApplied: Math.max(0, mirror.seq - Math.max(maxAcked, seqBefore)),
        restartMs,
        problems,
      }
      trials.push(t)
      opts.onTrial?.(t)
    }
  } finally {
    if (node) await node.stop().catch(() => {})
    prepared.dispose()
  }
  return { ok: trials.every((t) => t.problems.length === 0), trials, totalAcked, finalSeq: mirror.seq, logFetchRetries: mirror.retries }
}
