import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromHex, toHex } from '../../../sdk/src/core/bytes.js'
import { anchorDatumFromData } from '../../../sdk/src/l1/index.js'
import { anchorOf, devnetInstance, type DevnetInstance } from '../../../sdk/test/support/devnetInstance.js'
import { keyTask, user, type User } from '../../../sdk/test/support/world.js'
import { DevnetChain, type L1Chain } from '../../../sequencer/src/l1/L1Chain.js'
import type { L1Log, L1Settings } from '../../../sequencer/src/l1/L1Settings.js'
import { anchorDatumOfOutput, anchorRedeemerOf } from '../../../sequencer/src/l1/txRedeemer.js'
import type { NodeConfig } from '../../../sequencer/src/node/NodeConfig.js'
import { openNode, type LagoonNode } from '../../../sequencer/src/node/openNode.js'
import { testConfig } from '../../../sequencer/test/support/harness.js'
import { FaultyChain } from './FaultyChain.js'

export { ADA, addressOf, anchorOf, deposit, l2tx } from '../../../sdk/test/support/devnetInstance.js'
const quiet: L1Log = process.env.LAGOON_TEST_LOG ? (level, msg, fields) => console.log(level, msg, JSON.stringify(fields ?? {}, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).slice(0, 600)) : () => {}

/** A strict devnet with an instance minted, an operator and funded users (what the node's chain survives), and a scratch folder. */
export interface L1World extends DevnetInstance {
  readonly dir: string
}

/**
 * Mints an instance on a fresh strict devnet; `users` test users get 1,000 ADA each on layer 1.
 *
 * @example
 * const w = await l1World(3)
 */
export async function l1World(users = 3): Promise<L1World> {
  const instance = await devnetInstance(Array.from({ length: users }, (_, i) => user(i + 1)))
  return { ...instance, dir: mkdtempSync(join(tmpdir(), 'lagoon-rel-')) }
}

/** Removes the world's temporary files. */
export function disposeWorld(w: L1World): void {
  rmSync(w.dir, { recursive: true, force: true })
}

/** The node's configuration for this world (durable receipts, no workers: a crash leaves no thread behind). */
export function worldConfig(w: L1World, db = join(w.dir, 'node.db')): NodeConfig {
  return testConfig(db, { open: true, durability: 'full', verifyWorkers: 0, instance: w.scripts.policyId })
}

/** The layer-1 settings of these tests: k = 3, batches only when forced, 2 exits a Withdraw tx. */
export const TEST_L1: Partial<L1Settings> = { confirmations: 3, absorptionMarginMs: 3_600_000, batchIntervalMs: 1e12, batchMaxTasks: 1_000_000, exitsPerTx: 2 }

/** A node in this process on the world's file and chain (the loop is driven by `tick()`). */
export async function openWorldNode(w: L1World, chain: L1Chain, over: Partial<L1Settings> = {}): Promise<LagoonNode> {
  return openNode(worldConfig(w), { chain, scripts: w.scripts, startL1: false, out: quiet, l1Settings: { ...TEST_L1, ...over } })
}

/** A faulty chain (no faults until asked) over a DevnetChain on the world's devnet. */
export async function worldChain(w: L1World, seed = 1): Promise<FaultyChain> {
  return new FaultyChain(await DevnetChain.open(w.devnet, w.operator.privateKey), { seed })
}

/**
 * What a kill -9 leaves: the node object is abandoned without `close()` — no queue drain beyond what
 * is already committed, no tree snapshot, no layer-1 stop — and its file handle is released so the
 * next node opens the file as a restarted process would (the WAL as the crash left it).
 */
export async function crash(node: LagoonNode): Promise<void> {
  await node.sequencer.idle() // acknowledged receipts are already durable; this only stops the applier touching a closed handle
  await node.pool?.close()
  node.db.close()
}

/** Registers every user on the node. */
export async function registerAll(w: L1World, node: LagoonNode): Promise<void> {
  for (const u of w.users) await node.sequencer.submitKeyTask(keyTask(u, { instance: fromHex(w.scripts.policyId) }))
}


/** One step of the anchor's history on the confirmed chain. */
export interface AnchorStep {
  readonly txHash: string
  readonly kind: string
  readonly batch: number
  /** Exits paid by a Withdraw: account hex → lovelace. */
  readonly exits: { account: string; amount: bigint }[]
}

/**
 * The anchor's history on the confirmed chain, oldest first: walks back from the current anchor
 * output through the txs that spent each previous one.
 *
 * @example
 * const commits = (await anchorHistory(w)).filter((s) => s.kind === 'commit')
 */
export async function anchorHistory(w: L1World): Promise<AnchorStep[]> {
  const steps: AnchorStep[] = []
  let at: { txHash: string; outputIndex: number } = await anchorOf(w)
  for (;;) {
    const rec = w.devnet.getTxRecord(at.txHash)
    if (!rec) break
    const anchorIn = rec.spent.find((u) => (u.assets[w.scripts.unit] ?? 0n) === 1n)
    const datum = anchorDatumOfOutput(rec.cbor, at.outputIndex)
    if (!anchorIn) {
      steps.unshift({ txHash: at.txHash, kind: 'genesis', batch: Number(datum.batch), exits: [] })
      break
    }
    const r = anchorRedeemerOf(rec.cbor, anchorIn)
    const exits = r.type === 'withdraw' ? r.exits.map((e) => ({ account: toHex(e.leaf.account), amount: e.leaf.pendingExit })) : []
    steps.unshift({ txHash: at.txHash, kind: r.type, batch: Number(datum.batch), exits })
    at = anchorIn
  }
  return steps
}

/**
 * Checks what must hold on the chain whatever happened: every commit raises the batch number by
 * exactly one (no batch posted twice, none skipped) and no account is paid an exit twice (Σ paid per
 * account ≤ what it requested). Returns the paid totals.
 *
 * @example
 * const paid = await checkChainHistory(w, requested)
 */
export async function checkChainHistory(w: L1World, requested: Map<string, bigint>): Promise<{ commits: number; paid: Map<string, bigint>; problems: string[] }> {
  const h = await anchorHistory(w)
  const problems: string[] = []
  let batch = 0
  let commits = 0
  const paid = new Map<string, bigint>()
  for (const s of h) {
    if (s.kind === 'commit') {
      commits++
      if (s.batch !== batch + 1) problems.push(`commit ${s.txHash} posts batch ${s.batch} after batch ${batch}`)
      batch = s.batch
    } else if (s.batch !== batch && s.kind !== 'genesis') problems.push(`${s.kind} ${s.txHash} changes the batch number`)
    for (const e of s.exits) paid.set(e.account, (paid.get(e.account) ?? 0n) + e.amount)
  }
  for (const [a, p] of paid) if (p > (requested.get(a) ?? 0n)) problems.push(`account ${a} paid ${p} on layer 1, requested ${requested.get(a) ?? 0n}`)
  return { commits, paid, problems }
}

/** The batch number on the anchor now. */
export async function anchorBatch(w: L1World): Promise<number> {
  return Number(anchorDatumFromData((await anchorOf(w)).datum!).batch)
}

export { user, type User }
