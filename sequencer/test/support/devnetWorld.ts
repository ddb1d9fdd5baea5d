import { user } from '../../../sdk/test/support/world.js'
import { devnetInstance, type DevnetInstance } from '../../../sdk/test/support/devnetInstance.js'
import { DevnetChain } from '../../src/l1/L1Chain.js'
import type { StreamOptions } from '../../src/http/stream/StreamHub.js'
import type { NodeConfig } from '../../src/node/NodeConfig.js'
import { openNode, type LagoonNode } from '../../src/node/openNode.js'
import { startServer, type RunningServer } from '../../src/node/startServer.js'
import { testConfig } from './harness.js'

export { ADA, anchorOf, deposit as depositOnL1, l2tx } from '../../../sdk/test/support/devnetInstance.js'

/** A strict devnet with a minted instance, its operator, and users funded on layer 1. */
export type DevnetWorld = DevnetInstance

/**
 * Mints a fresh instance on a new strict devnet (exodus timeout one day) and funds `userSeeds`' wallets.
 *
 * @example
 * const w = await devnetWorld([1, 2])
 */
export async function devnetWorld(userSeeds: number[] = [1, 2]): Promise<DevnetWorld> {
  return devnetInstance(userSeeds.map((s) => user(s)))
}

/**
 * A node of the world's instance on a real socket, its layer-1 loop driven by the test (`node.l1.tick()`).
 *
 * @example
 * const { node, running } = await startDevnetNode(w, tempDb())
 */
export async function startDevnetNode(
  w: DevnetWorld,
  db: string,
  over: Partial<NodeConfig> = {},
  streams: StreamOptions = {},
): Promise<{ node: LagoonNode; running: RunningServer; url: string }> {
  const chain = await DevnetChain.open(w.devnet, w.operator.privateKey)
  const node = await openNode(testConfig(db, { instance: w.scripts.policyId, ...over }), {
    chain,
    scripts: w.scripts,
    startL1: false,
    out: () => {},
    streams,
    l1Settings: { confirmations: 5, absorptionMarginMs: 3_600_000, batchIntervalMs: 1e12, batchMaxTasks: 1_000_000 },
  })
  const running = await startServer(node, '127.0.0.1', 0)
  return { node, running, url: running.url }
}

/** Forces a batch and drives it to confirmation (two rounds around one block). */
export async function commitBatch(w: DevnetWorld, node: LagoonNode): Promise<void> {
  node.l1!.poster.forceBatch()
  await node.l1!.tick()
  w.devnet.awaitBlock(1)
  await node.l1!.tick()
}
