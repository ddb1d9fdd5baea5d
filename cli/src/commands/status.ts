import type { Account, PendingDeposit, WithdrawalStatusResult } from '@lagoon/sdk'
import { ApiError } from '@lagoon/sdk'
import type { Command } from '../Command.js'
import { CliError } from '../CliError.js'
import { accountOf } from '../options/accountOf.js'
import { formatAda } from '../options/ada.js'
import { COMMON_HELP, KEY_OPTIONS, L1_OPTIONS, NODE_OPTIONS, opt } from '../options/commonOptions.js'
import { explain } from '../options/explain.js'
import { payoutOnL1, payoutWords, type PayoutOnL1 } from '../options/payoutOnL1.js'
import { connect, loadWallet, lucidOf } from '../options/session.js'

const STATUS_TEXT: Record<Exclude<WithdrawalStatusResult['status'], 'paid'>, string> = {
  none: 'none',
  requested: 'requested (waiting for the next commitment)',
  committed: 'committed (the operator pays it soon; or "lagoon withdraw --self")',
}

/**
 * `lagoon status [ACCOUNT]`: an account's balance, pending exit, nonce, latest withdrawal and (with
 * `--l1`) its deposits waiting on layer 1.
 *
 * @example
 * // lagoon status --wallet alice.sk --l1 http://127.0.0.1:8081
 */
export const statusCommand: Command = {
  name: 'status',
  summary: "show an account: balance, pending exit, withdrawals, waiting deposits",
  usage: `usage: lagoon status [ACCOUNT] [--wallet FILE | --account HEX] [--l1 URL] [--node URL] [--json]

Shows the layer-2 balance, pending exit and nonce of ACCOUNT (default: your wallet's account), where
its latest withdrawal is (requested → committed → paid), and with --l1 and --wallet the deposits it
has waiting at the deposit address (not yet absorbed; refundable after their refund time). A payout
is shown as paid only once seen on layer 1 (--l1): the tx the node names must be a Withdraw of the
anchor paying the account; until then it is "recorded by the node as paid, not seen on layer 1".

options:
  --account HEX       the account (env LAGOON_ACCOUNT), instead of ACCOUNT or --wallet
${COMMON_HELP.wallet}
${COMMON_HELP.l1}
${COMMON_HELP.node}
${COMMON_HELP.json}

example:
  $ lagoon status --wallet alice.sk
  account     5e1b…c3
  balance     34 ADA
  pending     0 ADA (exit requested, not yet paid)
  nonce       3
  withdrawal  paid on layer 1: 6 ADA (batch 2, tx 8c38…)`,
  options: { ...NODE_OPTIONS, ...L1_OPTIONS, ...KEY_OPTIONS, account: { type: 'string' } },
  async run(ctx) {
    const { client, info, url } = await connect(ctx)
    const [given] = ctx.positionals
    if (given !== undefined && !/^[0-9a-fA-F]{56}$/.test(given)) throw new CliError('USAGE', `"${given}" is not an account id`, 'an account is 56 hex characters (a payment key hash)')
    const account = given?.toLowerCase() ?? accountOf(ctx, info.network)
    let a: Account | undefined
    let w: WithdrawalStatusResult
    try {
      try {
        a = await client.getAccount({ account })
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'NOT_FOUND')) throw e
      }
      w = a ? await client.getWithdrawalStatus({ account }) : { status: 'none', amount: 0n, withdrawals: [] }
    } catch (e) {
      throw explain(e, { node: url, account })
    }
    let deposits: PendingDeposit[] | undefined
    if (opt(ctx, 'l1', 'LAGOON_L1_URL') && opt(ctx, 'wallet', 'LAGOON_WALLET')) {
      const lucid = await lucidOf(ctx, info, loadWallet(ctx, info.network))
      deposits = await client.getDeposits({ lucid, owner: account }).catch((e: unknown) => {
        throw explain(e, { node: url, account })
      })
    }
    if (!a && (!deposits || deposits.length === 0)) {
      throw new CliError('UNKNOWN_ACCOUNT', `unknown account ${account}`, 'an account appears once it registers ("lagoon register") or a deposit to it is credited ("lagoon deposit")')
    }
    const payout: PayoutOnL1 | undefined = w.status === 'paid' ? await payoutOnL1(ctx, info, { account, paidTx: w.paidTx, amount: w.amount }) : undefined
    const shown = w.status === 'paid' && payout?.l1 !== 'seen' ? 'recorded' : w.status
    const data = {
      account,
      exists: a !== undefined,
      registered: a?.l2Key !== undefined,
      balance: a?.balance ?? 0n,
      pendingExit: a?.pendingExit ?? 0n,
      nonce: a?.nonce ?? 0,
      withdrawal: { status: shown, amount: w.amount, ...(w.batch !== undefined ? { batch: w.batch } : {}), ...(w.paidTx ? { paidTx: w.paidTx } : {}), ...(payout ? { payout } : {}) },
      ...(deposits ? { deposits: deposits.map((d) => ({ outRef: `${d.outRef.txHash}#${d.outRef.outputIndex}`, amount: d.amount, refundAfter: Number(d.refundAfter), refundable: d.refundable })) } : {}),
    }
    ctx.out.result(data, () => {
      const lines = [
        `account     ${account}${a ? (a.l2Key ? '' : ' (not registered: no layer-2 key)') : ' (no layer-2 state yet)'}`,
        `balance     ${formatAda(data.balance)}`,
        `pending     ${formatAda(data.pendingExit)}${data.pendingExit > 0n ? ' (exit requested, not yet paid)' : ''}`,
        `nonce       ${data.nonce}`,
        `withdrawal  ${w.status === 'none' ? 'none' : `${w.status === 'paid' ? payoutWords(payout!) : STATUS_TEXT[w.status]}: ${formatAda(w.amount)}${w.batch !== undefined ? ` (batch ${w.batch}${w.paidTx ? `, tx ${w.paidTx}` : ''})` : ''}`}`,
        ...(payout && payout.l1 !== 'seen' ? [`            ${payout.reason}`] : []),
      ]
      if (deposits) {
        lines.push(`deposits    ${deposits.length === 0 ? 'none waiting on layer 1' : 'waiting on layer 1 (not yet absorbed):'}`)
        for (const d of deposits) lines.push(`  ${d.outRef.txHash}#${d.outRef.outputIndex}  ${formatAda(d.amount)}  ${d.refundable ? 'refundable now ("lagoon refund")' : `refundable after ${new Date(Number(d.refundAfter)).toISOString()}`}`)
      }
      return lines.join('\n')
    })
    return 0
  },
}
