import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toHex } from '../../../sdk/src/core/bytes.js'
import { INSTANCE, OPERATOR, TERMS } from '../../../sdk/test/support/world.js'
import type { NodeConfig } from '../../src/node/NodeConfig.js'
import { openNode, type LagoonNode } from '../../src/node/openNode.js'
import { startServer, type RunningServer } from '../../src/node/startServer.js'

/** A node on a real socket, with one token per scope. */
export interface TestNode {
  readonly node: LagoonNode
  readonly url: string
  readonly tokens: { admin: string; wallet: string; relay: string }
  readonly stop: () => Promise<void>
  readonly running: RunningServer
}

const tempDirs: string[] = []
// Test files run in their own processes: remove their databases when the process ends.
process.once('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true })
})

/** A fresh temporary directory, removed when the test process exits. @example join(tempDir(), 'relay.db') */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lagoon-test-'))
  tempDirs.push(dir)
  return dir
}

/** A fresh temporary SQLite path (its folder is removed when the test process exits). @example openNode(testConfig(tempDb())) */
export function tempDb(): string {
  return join(tempDir(), 'node.db')
}

/** The test instance's configuration (world.ts parameters), on `db`. */
export function testConfig(db: string, over: Partial<NodeConfig> = {}): NodeConfig {
  return {
    db,
    host: '127.0.0.1',
    port: 0,
    open: false,
    durability: 'normal',
    verifyWorkers: 2,
    maxGroup: 4096,
    maxQueue: 100_000,
    instance: toHex(INSTANCE),
    operator: toHex(OPERATOR.account),
    terms: toHex(TERMS),
    ...over,
  }
}

/** Opens a node on `db` and serves it on port 0. */
export async function startTestNode(db = tempDb(), over: Partial<NodeConfig> = {}): Promise<TestNode> {
  const node = await openNode(testConfig(db, over))
  const running = await startServer(node, '127.0.0.1', 0)
  const tokens = { admin: node.tokens.create('admin').token, wallet: node.tokens.create('wallet').token, relay: node.tokens.create('relay').token }
  return { node, url: running.url, tokens, stop: running.stop, running }
}
