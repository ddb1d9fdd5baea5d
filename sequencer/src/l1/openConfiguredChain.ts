import { getAddressDetails, type Network } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts } from '@lagoon/devnet'
import type { L1Config } from '../node/NodeConfig.js'
import { freshSeed } from './freshSeed.js'
import { BlockfrostChain, DevnetChain, type L1Chain } from './L1Chain.js'
import { jsonLog, type L1Log } from './L1Settings.js'
import { buildDeployRefsTx, buildInitTx, lagoonScripts, type LagoonScripts } from './sdkL1.js'

/**
 * Opens the configured layer-1 backend and the instance's scripts. `devnet`: an embedded strict devnet
 * with a generated, funded operator account, on which a fresh instance (from a fresh seed: `freshSeed`) is minted and its reference-script
 * UTxOs deployed (a demo chain: it lives as long as the process, so use it with a fresh database). `blockfrost`: the instance at `seed` on a
 * Blockfrost-compatible API (Blockfrost, Yaci DevKit, or the strict devnet's `serveBlockfrost`; network
 * `Custom` reads its slot config from the API's `/genesis`).
 *
 * @example
 * const { chain, scripts } = await openConfiguredChain({ backend: 'devnet' })
 */
export async function openConfiguredChain(c: L1Config, out: L1Log = jsonLog): Promise<{ chain: L1Chain; scripts: LagoonScripts }> {
  if (c.backend === 'blockfrost') {
    const network: Network = c.network ?? 'Preprod'
    const chain = await BlockfrostChain.open({ url: c.url!, ...(c.projectId ? { projectId: c.projectId } : {}), network, ...(c.pollMs ? { pollMs: c.pollMs } : {}) }, c.operatorKey!)
    const [txHash, index] = c.seed!.split('#')
    return { chain, scripts: lagoonScripts({ txHash: txHash!, outputIndex: Number(index) }, network) }
  }
  const [operator] = createTestAccounts(1, { lovelace: 100_000_000_000n })
  const devnet = createDevnet({ accounts: [operator!] })
  const chain = await DevnetChain.open(devnet, c.operatorKey ?? operator!.privateKey, { blockEveryMs: c.devnetBlockMs ?? 1000 })
  const operatorKeyHash = getAddressDetails(operator!.address).paymentCredential!.hash
  // A fresh seed, not the genesis output (the same 00…00#0 on every run): a new instance id each start.
  const seed = await freshSeed(chain.lucid, (cbor) => chain.submit(cbor), () => devnet.awaitBlock(1))
  const { scripts, tx } = buildInitTx(chain.lucid, { seed, operator: operatorKeyHash, exodusTimeout: 86_400_000n, now: chain.now() })
  const signed = await (await tx.complete()).sign.withWallet().complete()
  const txHash = await chain.submit(signed.toCBOR())
  devnet.awaitBlock(1)
  // Reference-script UTxOs (anchor + empty-hash table, deposit): the poster finds and reads them, so
  // the node's commits and payouts do not carry the scripts.
  const refsTx = await (await buildDeployRefsTx(chain.lucid, scripts).tx.complete()).sign.withWallet().complete()
  await chain.submit(refsTx.toCBOR())
  devnet.awaitBlock(1)
  out('info', 'embedded devnet: instance minted', { instance: scripts.policyId, seed: `${scripts.seed.txHash}#${scripts.seed.outputIndex}`, initTx: txHash, anchorAddress: scripts.anchorAddress, depositAddress: scripts.depositAddress })
  return { chain, scripts }
}
