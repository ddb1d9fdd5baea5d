import type { Command } from '../Command.js'
import { CliError } from '../CliError.js'
import { formatAda, parseAda } from '../options/ada.js'
import { COMMON_HELP, KEY_OPTIONS, L1_OPTIONS, NODE_OPTIONS } from '../options/commonOptions.js'
import { parseDuration } from '../options/duration.js'
import { explain } from '../options/explain.js'
import { l1Confirmations } from '../options/l1Confirmations.js'
import { connect, loadWallet, lucidOf } from '../options/session.js'

/**
 * `lagoon deposit AMOUNT`: locks ADA at the deposit address and waits until the node credits it.
 *
 * @example
 * // lagoon deposit 25 --wallet alice.sk --l1 http://127.0.0.1:8081
 */
export const depositCommand: Command = {
  name: 'deposit',
  summary: 'lock ADA on layer 1 and get it on layer 2 (credited after k confirmations)',
  usage: `usage: lagoon deposit AMOUNT --wallet FILE --l1 URL [--for ACCOUNT] [--refund-after 24h] [--no-wait]
                      [--timeout 30m] [--node URL] [--json]

Locks AMOUNT ADA (e.g. 25, at least 1) at the instance's deposit address for your account (or
--for ACCOUNT), signed by your wallet, then waits until the node credits it on layer 2: after k
layer-1 confirmations (the node says k in GET /instance). If the operator never absorbs it, you can
take it back after --refund-after ("lagoon refund").

options:
  --for ACCOUNT       credit another account (56 hex characters)
  --refund-after D    refundable after D if not absorbed: 90m, 24h, 2d (default 24h; the node only
                      credits deposits refundable later than its absorption margin, 2h by default)
  --no-wait           return once submitted
  --timeout D         how long to wait for the credit (default 30m)
${COMMON_HELP.wallet}
${COMMON_HELP.l1}
${COMMON_HELP.node}
${COMMON_HELP.json}

example:
  $ lagoon deposit 25 --wallet alice.sk --l1 http://127.0.0.1:8081
  submitted deposit 7a0c…e2#0: 25 ADA for 5e1b…c3
  credited: 25 ADA at seq 14`,
  options: { ...NODE_OPTIONS, ...L1_OPTIONS, ...KEY_OPTIONS, for: { type: 'string' }, 'refund-after': { type: 'string' }, 'no-wait': { type: 'boolean' }, timeout: { type: 'string' } },
  async run(ctx) {
    const amount = parseAda(ctx.positionals[0], 'AMOUNT')
    if (amount < 1_000_000n) throw new CliError('USAGE', `a deposit must be at least 1 ADA; got ${formatAda(amount)}`, 'smaller deposits are never credited')
    const forAccount = ctx.values.for as string | undefined
    if (forAccount !== undefined && !/^[0-9a-fA-F]{56}$/.test(forAccount)) throw new CliError('USAGE', `--for "${forAccount}" is not an account id`, 'an account is 56 hex characters')
    const refundAfterMs = parseDuration((ctx.values['refund-after'] as string | undefined) ?? '24h', '--refund-after')
    const timeoutMs = parseDuration((ctx.values.timeout as string | undefined) ?? '30m', '--timeout')
    const { client, info, url } = await connect(ctx)
    const wallet = loadWallet(ctx, info.network)
    const lucid = await lucidOf(ctx, info, wallet)
    const account = forAccount?.toLowerCase() ?? wallet.account
    try {
      const fromSeq = (await client.getState()).seq + 1
      const d = await client.deposit({ lucid, amount, account, refundAfterMs })
      const outRef = `${d.outRef.txHash}#${d.outRef.outputIndex}`
      const base = { txHash: d.txHash, outRef, account, amount, refundAfter: Number(d.refundAfter) }
      if (ctx.values['no-wait']) {
        ctx.out.result({ ...base, credited: null }, () => `submitted deposit ${outRef}: ${formatAda(amount)} for ${account}\ncredited after ${info.confirmations} confirmations; see "lagoon status"`)
        return 0
      }
      ctx.out.info(`submitted deposit ${outRef}: ${formatAda(amount)} for ${account}`)
      const credited = await client.waitForDeposit({
        outRef: d.outRef,
        fromSeq,
        timeoutMs,
        signal: ctx.signal,
        onPoll: async () => ctx.out.progress('layer-1 confirmations', Math.min(await l1Confirmations(ctx, d.txHash), info.confirmations), info.confirmations),
      })
      ctx.out.progressDone()
      ctx.out.result({ ...base, credited: { seq: credited.seq } }, () => `credited: ${formatAda(amount)} to ${account} at seq ${credited.seq}`)
      return 0
    } catch (e) {
      throw explain(e, { node: url, account })
    }
  },
}
