import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { credentialToAddress, getAddressDetails, Lucid, type EmulatorAccount } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, serveBlockfrost, type BlockfrostServer, type StrictEmulator } from '@lagoon/devnet'
import { toHex } from '../../sdk/src/core/bytes.js'
import { buildInitTx, type LagoonScripts } from '../../sdk/src/l1/index.js'
import { TERMS, user, type User } from '../../sdk/test/support/world.js'
import { DevnetChain } from '../../sequencer/src/l1/L1Chain.js'
import { openNode, type LagoonNode } from '../../sequencer/src/node/openNode.js'
import { startServer, type RunningServer } from '../../sequencer/src/node/startServer.js'
import { testConfig } from '../../sequencer/test/support/harness.js'
import { runCli } from '../src/runCli.js'
import { sink } from './cliSupport.js'

/** Layer-1 confirmations before a credit in these tests. */
export const K = 3
export const EXODUS_TIMEOUT_MS = 86_400_000

/** A node with layer 1 on the strict devnet, the devnet's Blockfrost API, and users with wallet files. */
export interface UserWorld {
  readonly devnet: StrictEmulator
  readonly scripts: LagoonScripts
  readonly node: LagoonNode
  readonly running: RunningServer
  readonly blockfrost: BlockfrostServer
  readonly chain: DevnetChain
  readonly users: { u: User; walletFile: string; address: string }[]
  readonly dir: string
  /** The environment every `lagoon` run gets: node, layer-1 API, LAGOON_HOME. */
  readonly env: NodeJS.ProcessEnv
  /** One layer-1 round of the node (follower, then poster). */
  tick(): Promise<void>
  stop(): Promise<void>
}

/**
 * Mints an instance on a fresh strict devnet, starts a node on a socket (its layer-1 loop driven by
 * `tick()`), serves the devnet's Blockfrost API for `--l1`, and writes each user's wallet key to a file.
 *
 * @example
 * const w = await userWorld(3)
 * await runLagoon(w, ['status', '--wallet', w.users[0].walletFile])
 */
export async function userWorld(n: number): Promise<UserWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'lagoon-cli-user-'))
  const [operator] = createTestAccounts(1, { lovelace: 100_000_000_000n }) as [EmulatorAccount]
  const us = Array.from({ length: n }, (_, i) => user(41 + i))
  const addressOf = (u: User) => credentialToAddress('Custom', { type: 'Key', hash: toHex(u.account) })
  const devnet = createDevnet({ accounts: [operator, ...us.map((u) => ({ seedPhrase: '', address: addressOf(u), assets: { lovelace: 1_000_000_000n }, privateKey: u.walletKey }))] })
  const lucid = await Lucid(devnet, 'Custom')
  lucid.selectWallet.fromPrivateKey(operator.privateKey)
  const [seed] = await lucid.wallet().getUtxos()
  const { scripts, tx } = buildInitTx(lucid, { seed: seed!, operator: getAddressDetails(operator.address).paymentCredential!.hash, exodusTimeout: BigInt(EXODUS_TIMEOUT_MS), now: devnet.now() })
  await devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
  devnet.awaitBlock(1)
  const chain = await DevnetChain.open(devnet, operator.privateKey)
  const node = await openNode(testConfig(join(dir, 'node.db'), { instance: scripts.policyId, open: true, terms: toHex(TERMS) }), {
    chain,
    scripts,
    startL1: false,
    out: () => {},
    l1Settings: { confirmations: K, absorptionMarginMs: 3_600_000, batchIntervalMs: 1e12, batchMaxTasks: 1_000_000 },
  })
  const running = await startServer(node, '127.0.0.1', 0)
  const blockfrost = await serveBlockfrost(devnet)
  const users = us.map((u, i) => {
    const walletFile = join(dir, `wallet${i}.sk`)
    writeFileSync(walletFile, `${u.walletKey}\n`)
    return { u, walletFile, address: addressOf(u) }
  })
  let stopped = false
  return {
    devnet,
    scripts,
    node,
    running,
    blockfrost,
    chain,
    users,
    dir,
    env: { LAGOON_NODE: running.url, LAGOON_L1_URL: blockfrost.url, LAGOON_HOME: join(dir, 'home') },
    tick: () => node.l1!.tick(),
    async stop() {
      if (!stopped) await running.stop()
      stopped = true
    },
  }
}

/** Stops everything and removes the files. */
export async function disposeUserWorld(w: UserWorld | undefined): Promise<void> {
  if (!w) return
  await w.stop()
  await w.blockfrost.close()
  w.chain.close()
  rmSync(w.dir, { recursive: true, force: true })
}

/** What a `lagoon` run printed and returned. */
export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  /** stdout parsed as JSON (for `--json` runs). */
  json<T = Record<string, unknown>>(): T
}

/**
 * Runs `lagoon` in-process with the world's environment; while it runs, `pump` (if given) is called
 * every 50 ms (produce blocks, drive the node's layer-1 loop).
 *
 * @example
 * const r = await runLagoon(w, ['deposit', '25', '--wallet', file, '--json'], async () => { w.devnet.awaitBlock(1); await w.tick() })
 */
export async function runLagoon(w: Pick<UserWorld, 'env'>, argv: string[], pump?: () => Promise<void> | void, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const stdout = sink()
  const stderr = sink()
  let done = false
  const pumping = (async () => {
    while (pump && !done) {
      await new Promise((r) => setTimeout(r, 50))
      if (!done) await pump()
    }
  })()
  let code: number
  try {
    code = await runCli(argv, { stdout, stderr, env: { ...w.env, ...env } })
  } finally {
    done = true
    await pumping
  }
  return { code, stdout: stdout.text(), stderr: stderr.text(), json: <T>() => JSON.parse(stdout.text()) as T }
}
