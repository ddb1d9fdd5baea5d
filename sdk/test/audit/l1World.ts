/**
 * A Lagoon instance on the strict devnet with a real node (SQLite file, HTTP on a socket, follower and
 * poster driven by `tick`): the world the auditor and relay tests check. Shared by sdk/test/audit and
 * relay/test.
 */
import { DevnetChain } from '../../../sequencer/src/l1/L1Chain.js'
import { openNode, type LagoonNode } from '../../../sequencer/src/node/openNode.js'
import { startServer, type RunningServer } from '../../../sequencer/src/node/startServer.js'
import { tempDb, testConfig } from '../../../sequencer/test/support/harness.js'
import { fromHex, toHex } from '../../src/core/bytes.js'
import { ADA, deposit, devnetInstance, l2tx, type DevnetInstance } from '../support/devnetInstance.js'
import { keyTask, user, type User } from '../support/world.js'

export { ADA, anchorOf, deposit, l2tx } from '../support/devnetInstance.js'
export { tempDir } from '../../../sequencer/test/support/harness.js'

/** The devnet, its instance, the operator and two users with layer-1 wallets. */
export type L1World = DevnetInstance

/** A devnet with a freshly minted instance and two users. @example const w = await l1World() */
export async function l1World(): Promise<L1World> {
  return devnetInstance([user(1), user(2)])
}

/** A node on `w`'s instance, layer-1 loop not started (tests call `tick`), serving on port 0. */
export async function startL1Node(w: L1World, db = tempDb()): Promise<{ node: LagoonNode; running: RunningServer; chain: DevnetChain; url: string }> {
  const chain = await DevnetChain.open(w.devnet, w.operator.privateKey)
  const config = testConfig(db, { open: true, verifyWorkers: 0, instance: w.scripts.policyId })
  const node = await openNode(config, {
    chain,
    scripts: w.scripts,
    startL1: false,
    out: process.env.H3_DEBUG ? (level, msg, f) => console.log(level, msg, JSON.stringify(f ?? {}).slice(0, 600)) : () => {},
    l1Settings: { confirmations: 5, absorptionMarginMs: 3_600_000, batchIntervalMs: 1e12, batchMaxTasks: 1_000_000 },
  })
  const running = await startServer(node, '127.0.0.1', 0)
  return { node, running, chain, url: running.url }
}

async function post(url: string, path: string, body: unknown, cbor = false): Promise<void> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': cbor ? 'application/cbor' : 'application/json' },
    body: cbor ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
  })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
}

/** Registers a user on the node. */
export async function register(w: L1World, url: string, u: User): Promise<void> {
  const t = keyTask(u, { instance: fromHex(w.scripts.policyId) })
  await post(url, '/accounts/register', { account: toHex(t.account), signature: toHex(t.signature), key: toHex(t.key) })
}

/** Submits a layer-2 tx. */
export async function submit(url: string, tx: { bytes: Uint8Array }): Promise<void> {
  await post(url, '/tx', tx.bytes, true)
}

/** Drives the node (a poll, then one block) until `done()` holds; fails after `rounds`. */
export async function driveUntil(w: L1World, node: LagoonNode, what: string, done: () => Promise<boolean> | boolean, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await node.l1!.tick()
    if (await done()) return
    w.devnet.awaitBlock(1)
  }
  throw new Error(`the node did not reach "${what}" in ${rounds} rounds`)
}

/** Forces a batch and drives the node until it is confirmed on the devnet. */
export async function commitBatch(w: L1World, node: LagoonNode): Promise<number> {
  const before = node.l1!.poster.lastConfirmed()?.number ?? 0
  node.l1!.poster.forceBatch()
  await driveUntil(w, node, `batch ${before + 1} confirmed`, () => (node.l1!.poster.lastConfirmed()?.number ?? 0) > before)
  return before + 1
}

const account = async (url: string, u: User): Promise<{ balance: string; pendingExit: string } | undefined> => {
  const res = await fetch(`${url}/accounts/${toHex(u.account)}`)
  return res.status === 200 ? ((await res.json()) as { balance: string; pendingExit: string }) : undefined
}

/**
 * The honest history every test starts from: two registrations, a deposit credited after k and
 * absorbed by batch 1, transfers, a withdrawal paid by the poster and recorded, a second deposit
 * absorbed by batch 2.
 */
export async function honestHistory(w: L1World, url: string, node: LagoonNode): Promise<void> {
  const [alice, bob] = w.users as [User, User]
  for (const u of w.users) await register(w, url, u)
  await deposit(w, alice, 50n * ADA)
  await driveUntil(w, node, 'deposit credited', async () => (await account(url, alice))?.balance === String(50n * ADA))
  await submit(url, l2tx(w, alice, 0, [{ type: 'transfer', to: bob.account, amount: 10n * ADA }]))
  await submit(url, l2tx(w, bob, 0, [{ type: 'withdraw', amount: 4n * ADA }, { type: 'put', key: new Uint8Array([1]), value: new Uint8Array([2]) }]))
  await commitBatch(w, node)
  // The poster pays Bob's exit; the follower records it after k.
  await driveUntil(w, node, 'exit paid and recorded', async () => (await account(url, bob))?.pendingExit === '0')
  await submit(url, l2tx(w, alice, 1, [{ type: 'transfer', to: bob.account, amount: 1n * ADA }]))
  await deposit(w, bob, 7n * ADA)
  await driveUntil(w, node, 'second deposit credited', async () => (await account(url, bob))?.balance === String(14n * ADA))
  await commitBatch(w, node)
}
