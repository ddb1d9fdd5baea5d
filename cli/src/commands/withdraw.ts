import { LayerOneError, type Batch } from '@lagoon/sdk'
import type { Command } from '../Command.js'
import { CliError } from '../CliError.js'
import { accountOf } from '../options/accountOf.js'
import { formatAda, parseAda } from '../options/ada.js'
import { COMMON_HELP, KEY_OPTIONS, L1_OPTIONS, NODE_OPTIONS, opt } from '../options/commonOptions.js'
import { parseDuration } from '../options/duration.js'
import { explain } from '../options/explain.js'
import { awaitL1Block, pollUntil } from '../options/l1Confirmations.js'
import { PROOF_HELP, PROOF_OPTIONS, proofSourceOf } from '../options/proofSource.js'
import { payoutOnL1, type PayoutOnL1 } from '../options/payoutOnL1.js'
import { connect, loadSigner, loadWallet, lucidOf } from '../options/session.js'

/**
 * `lagoon withdraw [AMOUNT]`: requests a withdrawal on layer 2; `--wait` follows it until the operator
 * pays it on layer 1; `--self` withdraws it on layer 1 yourself with a proof checked against the root.
 *
 * @example
 * // lagoon withdraw 6 --self --wallet alice.sk --l1 http://127.0.0.1:8081
 */
export const withdrawCommand: Command = {
  name: 'withdraw',
  summary: 'move ADA back to layer 1: request, then wait for the payout or withdraw yourself (--self)',
  usage: `usage: lagoon withdraw AMOUNT [--wait | --self] --wallet FILE [--l1 URL] [--node URL] [--json]
       lagoon withdraw --self --wallet FILE --l1 URL [--proof-from SRC | --log FILE]

Requests a withdrawal of AMOUNT ADA: it leaves your layer-2 balance for your pending exit at once. Once
a commitment includes it (status "committed"), the operator pays it to your wallet's address on layer 1
in its next batch of exits ("paid": with --l1, once the payout is seen on layer 1 itself; without it,
"recorded by the node as paid"). With --wait the command follows it until paid. With --self it
waits for the commitment and then withdraws on layer 1 itself, with a Merkle proof of your account
checked against the root held on layer 1 — no operator needed (your wallet pays the fee). Without
AMOUNT, --self withdraws a pending exit requested earlier.

options:
  --wait              wait until the operator has paid it on layer 1
  --self              withdraw it on layer 1 yourself (needs --l1); returns once the tx is in a block
  --no-wait           with --self: return once submitted
  --timeout D         how long to wait (default 30m)
${PROOF_HELP}
${COMMON_HELP.wallet}
${COMMON_HELP.l2Key}
${COMMON_HELP.l1}
${COMMON_HELP.node}
${COMMON_HELP.json}

examples:
  $ lagoon withdraw 6 --wait --wallet alice.sk --l1 http://127.0.0.1:8081
  requested 6 ADA (seq 21); waiting for a commitment…
  paid 6 ADA on layer 1 (batch 3, tx 8c38…; seen on layer 1)
  $ lagoon withdraw --self --wallet alice.sk --l1 http://127.0.0.1:8081 --proof-from local
  withdrew 6 ADA on layer 1 in tx 5d1e… (proof checked against batch 3)`,
  options: { ...NODE_OPTIONS, ...L1_OPTIONS, ...KEY_OPTIONS, ...PROOF_OPTIONS, wait: { type: 'boolean' }, self: { type: 'boolean' }, 'no-wait': { type: 'boolean' }, timeout: { type: 'string' }, account: { type: 'string' } },
  async run(ctx) {
    const amount = ctx.positionals[0] === undefined ? undefined : parseAda(ctx.positionals[0], 'AMOUNT')
    const self = Boolean(ctx.values.self)
    if (amount === undefined && !self) throw new CliError('USAGE', 'missing AMOUNT', 'usage: lagoon withdraw AMOUNT [--wait | --self]; or lagoon withdraw --self to withdraw an exit requested earlier')
    if (self && ctx.values.wait) throw new CliError('USAGE', '--wait and --self exclude each other', '--wait lets the operator pay; --self withdraws yourself')
    const timeoutMs = parseDuration((ctx.values.timeout as string | undefined) ?? '30m', '--timeout')
    const source = proofSourceOf(ctx)
    const { client, info, url } = await connect(ctx, { allowOffline: self && amount === undefined })
    const account = accountOf(ctx, info.network)
    const explainIt = (e: unknown) => explain(e, { node: url, account })
    const progress = (waited: number, latest: Batch | undefined) =>
      ctx.out.progress('waiting for a commitment', Math.round(waited / 1000), undefined, `s${latest ? ` (latest batch ${latest.number}: ${latest.status})` : ''}`)
    try {
      let requested: { seq: number; txId: string } | undefined
      if (amount !== undefined) {
        const signer = loadSigner(ctx, info.instance, account)
        const r = await client.requestWithdrawal({ signer, amount })
        requested = { seq: r.seq, txId: r.txId }
        if (!self && !ctx.values.wait) {
          ctx.out.result({ account, amount, requested, status: 'requested' }, () => `requested ${formatAda(amount)} (seq ${r.seq}): the operator pays it on layer 1 after the next commitment\nfollow it with "lagoon status", or withdraw it yourself once committed: "lagoon withdraw --self"`)
          return 0
        }
        ctx.out.info(`requested ${formatAda(amount)} (seq ${r.seq}); waiting for a commitment…`)
        const batch = await client.waitForCommitment({ seq: r.seq, timeoutMs, signal: ctx.signal, onPoll: progress })
        ctx.out.progressDone()
        ctx.out.info(`committed in batch ${batch.number}`)
      }
      if (!self) {
        const started = Date.now()
        const withL1 = opt(ctx, 'l1', 'LAGOON_L1_URL') !== undefined
        let last = await client.getWithdrawalStatus({ account })
        let payout: PayoutOnL1 | undefined
        // "Paid" is what layer 1 shows: with --l1 the node's record must be a payout seen there.
        const ok = await pollUntil(
          async () => {
            last = await client.getWithdrawalStatus({ account })
            if (last.status !== 'paid') return false
            payout = await payoutOnL1(ctx, info, { account, paidTx: last.paidTx, amount: last.amount })
            return payout.l1 === 'seen' || !withL1
          },
          {
            timeoutMs,
            everyMs: 1000,
            signal: ctx.signal,
            onPoll: () => ctx.out.progress('waiting for the payout', Math.round((Date.now() - started) / 1000), undefined, `s (${payout && last.status === 'paid' ? 'recorded by the node, not seen on layer 1' : last.status})`),
          },
        )
        ctx.out.progressDone()
        if (!ok && last.status === 'paid' && payout && payout.l1 !== 'seen') {
          throw new CliError('PAYOUT_NOT_SEEN', `the node records ${formatAda(last.amount)} as paid by tx ${last.paidTx ?? '(none)'}, but layer 1 does not show that payout: ${payout.reason}`, 'check the tx on layer 1 yourself; if the node invented it, audit it ("lagoon audit --l1") and withdraw on layer 1 with a proof against the last root you verified')
        }
        if (!ok) throw new CliError('WAIT_TIMEOUT', `not paid within ${timeoutMs / 1000} s (status: ${last.status})`, 'nothing is lost: "lagoon status" shows where it is, and "lagoon withdraw --self" pays it yourself')
        if (payout?.l1 === 'seen') {
          ctx.out.result({ account, amount: last.amount, requested, status: 'paid', batch: last.batch, paidTx: last.paidTx, payout }, () => `paid ${formatAda(last.amount)} on layer 1 (batch ${last.batch}, tx ${last.paidTx}; seen on layer 1)`)
        } else {
          ctx.out.result(
            { account, amount: last.amount, requested, status: 'recorded', batch: last.batch, paidTx: last.paidTx, ...(payout ? { payout } : {}) },
            () => `recorded by the node as paid, not seen on layer 1 yet: ${formatAda(last.amount)} (batch ${last.batch}, tx ${last.paidTx})\n${payout?.l1 === 'not checked' ? payout.reason : ''}`.trimEnd(),
          )
        }
        return 0
      }
      const lucid = await lucidOf(ctx, info, loadWallet(ctx, info.network))
      let w
      try {
        w = await client.withdraw({ lucid, account, ...(source ? { source } : {}) })
      } catch (e) {
        // The operator may have paid it between the commitment and our transaction: that is success.
        const paid = requested && e instanceof LayerOneError && (e.code === 'NOTHING_TO_WITHDRAW' || e.code === 'PROOF_STALE') ? await client.getWithdrawalStatus({ account }) : undefined
        if (paid?.status !== 'paid') throw e
        if ((await payoutOnL1(ctx, info, { account, paidTx: paid.paidTx, amount: paid.amount })).l1 !== 'seen') throw e
        ctx.out.result({ account, amount: paid.amount, requested, status: 'paid', batch: paid.batch, paidTx: paid.paidTx }, () => `the operator paid it first: ${formatAda(paid.amount)} on layer 1 (batch ${paid.batch}, tx ${paid.paidTx})`)
        return 0
      }
      if (!ctx.values['no-wait']) await awaitL1Block(ctx, w.txHash, timeoutMs)
      ctx.out.result({ account, amount: w.amount, requested, status: 'submitted', txHash: w.txHash, batch: w.batch }, () => `withdrew ${formatAda(w.amount)} on layer 1 in tx ${w.txHash} (proof checked against batch ${w.batch})`)
      return 0
    } catch (e) {
      ctx.out.progressDone()
      throw explainIt(e)
    }
  },
}
