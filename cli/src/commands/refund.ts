import type { Command } from '../Command.js'
import { CliError } from '../CliError.js'
import { formatAda } from '../options/ada.js'
import { COMMON_HELP, KEY_OPTIONS, L1_OPTIONS, NODE_OPTIONS } from '../options/commonOptions.js'
import { explain } from '../options/explain.js'
import { awaitL1Block } from '../options/l1Confirmations.js'
import { connect, loadWallet, lucidOf } from '../options/session.js'

/**
 * `lagoon refund [TXHASH#INDEX]`: takes back deposits the operator did not absorb by their refund time.
 *
 * @example
 * // lagoon refund --wallet carol.sk --l1 http://127.0.0.1:8081
 */
export const refundCommand: Command = {
  name: 'refund',
  summary: 'take back deposits the operator did not absorb by their refund time',
  usage: `usage: lagoon refund [TXHASH#INDEX] --wallet FILE --l1 URL [--no-wait] [--node URL] [--json]

Spends your deposits that are still at the deposit address (never absorbed by a commitment) once their
refund time has passed, back to your wallet: the one deposit TXHASH#INDEX, or every refundable one of
your wallet. "lagoon status --l1 URL" lists your waiting deposits and when each becomes refundable.

options:
  --no-wait           return once submitted (default: once the refund is in a layer-1 block)
${COMMON_HELP.wallet}
${COMMON_HELP.l1}
${COMMON_HELP.node}
${COMMON_HELP.json}

example:
  $ lagoon refund --wallet carol.sk --l1 http://127.0.0.1:8081
  refunded 5 ADA (1 deposit) in tx 3b7e…`,
  options: { ...NODE_OPTIONS, ...L1_OPTIONS, ...KEY_OPTIONS, 'no-wait': { type: 'boolean' } },
  async run(ctx) {
    const [ref] = ctx.positionals
    const m = ref === undefined ? null : /^([0-9a-fA-F]{64})#(\d+)$/.exec(ref)
    if (ref !== undefined && !m) throw new CliError('USAGE', `"${ref}" is not a deposit out-ref`, 'give it as TXHASH#INDEX, as "lagoon deposit" and "lagoon status" print it')
    const { client, info, url } = await connect(ctx, { allowOffline: true })
    const wallet = loadWallet(ctx, info.network)
    const lucid = await lucidOf(ctx, info, wallet)
    try {
      const r = await client.refundDeposit({ lucid, ...(m ? { outRef: { txHash: m[1]!.toLowerCase(), outputIndex: Number(m[2]) } } : {}) })
      if (!ctx.values['no-wait']) await awaitL1Block(ctx, r.txHash, 600_000)
      const refs = r.outRefs.map((o) => `${o.txHash}#${o.outputIndex}`)
      ctx.out.result({ txHash: r.txHash, amount: r.amount, outRefs: refs }, () => `refunded ${formatAda(r.amount)} (${refs.length} deposit${refs.length === 1 ? '' : 's'}) in tx ${r.txHash}`)
      return 0
    } catch (e) {
      throw explain(e, { node: url, account: wallet.account })
    }
  },
}
