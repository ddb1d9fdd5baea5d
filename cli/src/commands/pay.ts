import type { Command } from '../Command.js'
import { CliError } from '../CliError.js'
import { formatAda, parseAda } from '../options/ada.js'
import { accountOf } from '../options/accountOf.js'
import { COMMON_HELP, KEY_OPTIONS, NODE_OPTIONS } from '../options/commonOptions.js'
import { explain } from '../options/explain.js'
import { connect, loadSigner } from '../options/session.js'

/**
 * `lagoon pay TO AMOUNT`: a layer-2 transfer signed with the account's layer-2 key.
 *
 * @example
 * // lagoon pay 5e1b…c3 2.5 --wallet alice.sk
 */
export const payCommand: Command = {
  name: 'pay',
  summary: 'pay ADA to another account on layer 2 (instant, signed with your layer-2 key)',
  usage: `usage: lagoon pay TO AMOUNT [--wallet FILE | --account HEX] [--l2-key FILE] [--node URL] [--json]

Sends AMOUNT ADA (e.g. 2.5) from your layer-2 balance to account TO (56 hex characters: the
recipient's payment key hash). Signed with your layer-2 key; answers once the node has applied it
and it is durable in the task log.

options:
  --account HEX       your account, when you give --l2-key instead of --wallet (env LAGOON_ACCOUNT)
${COMMON_HELP.wallet}
${COMMON_HELP.l2Key}
${COMMON_HELP.node}
${COMMON_HELP.json}

example:
  $ lagoon pay 9c04…1a 2.5 --wallet alice.sk
  paid 2.5 ADA to 9c04…1a (tx 41d2…, seq 15)`,
  options: { ...NODE_OPTIONS, ...KEY_OPTIONS, account: { type: 'string' } },
  async run(ctx) {
    const [to, amountText] = ctx.positionals
    if (!to || !/^[0-9a-fA-F]{56}$/.test(to)) throw new CliError('USAGE', to ? `"${to}" is not an account id` : 'missing the recipient TO', 'usage: lagoon pay TO AMOUNT (TO: 56 hex characters)')
    const amount = parseAda(amountText, 'AMOUNT')
    const { client, info, url } = await connect(ctx)
    const account = accountOf(ctx, info.network)
    const signer = loadSigner(ctx, info.instance, account)
    try {
      const r = await client.transfer({ signer, to: to.toLowerCase(), amount })
      ctx.out.result({ txId: r.txId, seq: r.seq, from: account, to: to.toLowerCase(), amount }, () => `paid ${formatAda(amount)} to ${to.toLowerCase()} (tx ${r.txId}, seq ${r.seq})`)
      return 0
    } catch (e) {
      throw explain(e, { node: url, account })
    }
  },
}
