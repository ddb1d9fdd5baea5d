import { credentialToAddress, getAddressDetails, Lucid, type EmulatorAccount, type LucidEvolution, type UTxO } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, type StrictEmulator } from '@lagoon/devnet'
import { fromHex, toHex } from '../../../sdk/src/core/bytes.js'
import { blake2b256Reference } from '../../../sdk/src/core/crypto/blake2b256.js'
import { buildSignedTx } from '../../../sdk/src/core/tx/buildSignedTx.js'
import type { Action } from '../../../sdk/src/core/tx/types.js'
import { buildDepositTx, buildInitTx, type LagoonScripts } from '../../../sdk/src/l1/index.js'
import { user, type User } from '../../../sdk/test/support/world.js'
import { DevnetChain } from '../../src/l1/L1Chain.js'
import type { StreamOptions } from '../../src/http/stream/StreamHub.js'
import type { NodeConfig } from '../../src/node/NodeConfig.js'
import { openNode, type LagoonNode } from '../../src/node/openNode.js'
import { startServer, type RunningServer } from '../../src/node/startServer.js'
import { testConfig } from './harness.js'

export const ADA = 1_000_000n

/** A strict devnet with a minted instance, its operator, and users funded on layer 1. */
export interface DevnetWorld {
  readonly devnet: StrictEmulator
  readonly lucid: LucidEvolution
  readonly operator: EmulatorAccount
  readonly operatorKeyHash: string
  readonly scripts: LagoonScripts
  readonly users: User[]
}

/**
 * Mints a fresh instance on a new strict devnet (exodus timeout one day) and funds `userSeeds`' wallets.
 *
 * @example
 * const w = await devnetWorld([1, 2])
 */
export async function devnetWorld(userSeeds: number[] = [1, 2]): Promise<DevnetWorld> {
  const [operator] = createTestAccounts(1, { lovelace: 100_000_000_000n }) as [EmulatorAccount]
  const users = userSeeds.map((s) => user(s))
  const wallets = users.map((u) => ({ seedPhrase: '', address: credentialToAddress('Custom', { type: 'Key', hash: toHex(u.account) }), assets: { lovelace: 1_000_000_000n }, privateKey: u.walletKey }))
  const devnet = createDevnet({ accounts: [operator, ...wallets] })
  const lucid = await Lucid(devnet, 'Custom')
  lucid.selectWallet.fromPrivateKey(operator.privateKey)
  const [seed] = await lucid.wallet().getUtxos()
  const operatorKeyHash = getAddressDetails(operator.address).paymentCredential!.hash
  const { scripts, tx } = buildInitTx(lucid, { seed: seed!, operator: operatorKeyHash, exodusTimeout: 86_400_000n, now: devnet.now() })
  await devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
  devnet.awaitBlock(1)
  return { devnet, lucid, operator, operatorKeyHash, scripts, users }
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

/** A layer-2 tx of the world's instance. */
export function l2tx(w: DevnetWorld, u: User, nonce: number, actions: Action[]) {
  return buildSignedTx({ instance: fromHex(w.scripts.policyId), signer: u.account, nonce, fee: 0n, actions }, u.l2Secret, blake2b256Reference)
}

/** Locks `amount` at the deposit address from `u`'s wallet; returns the tx hash. */
export async function depositOnL1(w: DevnetWorld, u: User, amount: bigint, refundInMs = 3 * 3_600_000): Promise<string> {
  w.lucid.selectWallet.fromPrivateKey(u.walletKey)
  const tx = buildDepositTx(w.lucid, w.scripts, { owner: toHex(u.account), refundAfter: BigInt(w.devnet.now() + refundInMs) }, amount)
  const h = await w.devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
  w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
  return h
}

/** The anchor output now. */
export const anchorOf = async (w: DevnetWorld): Promise<UTxO> => (await w.devnet.getUtxos(w.scripts.anchorAddress)).find((u) => u.assets[w.scripts.unit] === 1n)!

/** Forces a batch and drives it to confirmation (two rounds around one block). */
export async function commitBatch(w: DevnetWorld, node: LagoonNode): Promise<void> {
  node.l1!.poster.forceBatch()
  await node.l1!.tick()
  w.devnet.awaitBlock(1)
  await node.l1!.tick()
}
