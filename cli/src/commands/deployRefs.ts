import type { NodeConfig } from '@lagoon/sequencer/node/NodeConfig'
import { openConfiguredChain } from '@lagoon/sequencer/l1/openConfiguredChain'
import { buildDeployRefsTx, findScriptRefs, refsAddress } from '@lagoon/sdk/l1'
import { CliError } from '../CliError.js'
import type { CommandContext } from '../Command.js'

const outRef = (u: { txHash: string; outputIndex: number } | undefined): string | null => (u ? `${u.txHash}#${u.outputIndex}` : null)

/**
 * `lagoon sequencer deploy-refs`: puts the instance's reference-script UTxOs on layer 1 once, from the
 * operator's wallet of the node's configuration (Blockfrost or Yaci DevKit backend), so the node's
 * commits and exit payouts read the scripts instead of carrying them. Does nothing when they are there.
 * Returns the exit code.
 *
 * @example
 * // lagoon sequencer deploy-refs --config lagoon.json
 */
export async function deployRefs(ctx: CommandContext, config: NodeConfig): Promise<number> {
  const l1 = config.l1
  if (!l1) throw new CliError('USAGE', 'the configuration has no l1 section', 'add "l1": { "backend": "blockfrost", … } (docs/operating.md)')
  if (l1.backend !== 'blockfrost') {
    throw new CliError('USAGE', 'the embedded devnet deploys its reference scripts itself when the node starts', 'deploy-refs is for the blockfrost backend (Blockfrost or a Yaci DevKit)')
  }
  const { chain, scripts } = await openConfiguredChain(l1, () => {})
  try {
    const at = refsAddress(chain.network, scripts)
    const found = findScriptRefs(await chain.utxosAt(at), scripts)
    const summary = (txHash: string | null, refs: typeof found) => ({
      instance: scripts.policyId,
      refsAddress: at,
      txHash,
      anchorRef: outRef(refs.anchor),
      depositRef: outRef(refs.deposit),
    })
    if (found.anchor && found.deposit) {
      const data = summary(null, found)
      ctx.out.result({ ...data, deployed: false }, () => `already deployed at ${at}: anchor ${data.anchorRef}, deposit ${data.depositRef}`)
      return 0
    }
    const signed = await (await buildDeployRefsTx(chain.lucid, scripts).tx.complete()).sign.withWallet().complete()
    const txHash = await chain.submit(signed.toCBOR())
    ctx.out.info(`submitted ${txHash}; waiting for it in a block (--no-wait to skip)`)
    if (!ctx.values['no-wait']) {
      if (!(await chain.awaitTx(txHash, 1, 600_000))) {
        throw new CliError('L1_TIMEOUT', `tx ${txHash} is not in a block after 10 minutes`, 'run the command again later: it deploys nothing twice')
      }
    }
    const refs = ctx.values['no-wait'] ? {} : findScriptRefs(await chain.utxosAt(at), scripts)
    const data = summary(txHash, refs)
    ctx.out.result({ ...data, deployed: true }, () =>
      [`deployed the reference scripts in tx ${txHash}`, `  at ${at}`, ...(data.anchorRef ? [`  anchor ${data.anchorRef}, deposit ${data.depositRef}`] : [])].join('\n'),
    )
    return 0
  } finally {
    chain.close()
  }
}
