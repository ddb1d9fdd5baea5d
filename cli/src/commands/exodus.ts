import { LayerOneError } from '@lagoon/sdk'
import type { Command } from '../Command.js'
import { CliError } from '../CliError.js'
import { accountOf } from '../options/accountOf.js'
import { formatAda } from '../options/ada.js'
import { COMMON_HELP, KEY_OPTIONS, L1_OPTIONS, NODE_OPTIONS } from '../options/commonOptions.js'
import { parseDuration } from '../options/duration.js'
import { explain } from '../options/explain.js'
import { awaitL1Block, pollUntil } from '../options/l1Confirmations.js'
import { PROOF_HELP, PROOF_OPTIONS, proofSourceOf } from '../options/proofSource.js'
import { connect, loadWallet, lucidOf } from '../options/session.js'

/**
 * `lagoon exodus`: when the operator has stopped committing for the exodus timeout, freezes the anchor
 * and takes the account's whole layer-2 value back to layer 1 with a proof against the last root.
 *
 * @example
 * // lagoon exodus --wallet alice.sk --l1 http://127.0.0.1:8081 --log log.cbor
 */
export const exodusCommand: Command = {
  name: 'exodus',
  summary: 'the operator is gone: freeze the instance and take your whole balance back to layer 1',
  usage: `usage: lagoon exodus --wallet FILE --l1 URL [--log FILE | --proof-from SRC] [--freeze-only] [--node URL] [--json]

If the operator has posted no commitment for the exodus timeout (GET /instance: exodusTimeoutMs),
anyone may freeze the instance; from then on no commitment is accepted and every account withdraws its
whole balance plus pending exit with a proof against the last root. This command freezes (if needed,
and waits for the freeze to be on layer 1), then withdraws your account's value to your wallet's address.

It works without the operator: the instance's settings come from the copy cached by any earlier lagoon
command against that node (~/.lagoon/instances), and the proof from a saved log (--log) or a relay
(--proof-from URL). Before the timeout it says when freezing becomes possible.

options:
  --freeze-only       freeze, do not withdraw
  --timeout D         how long to wait for the freeze and the withdrawal on layer 1 (default 10m)
${PROOF_HELP}
${COMMON_HELP.wallet}
${COMMON_HELP.l1}
${COMMON_HELP.node}
${COMMON_HELP.json}

example:
  $ lagoon exodus --wallet alice.sk --l1 http://127.0.0.1:8081 --log log.cbor
  froze the instance at batch 3 (tx 0b2f…)
  withdrew 39 ADA (balance + pending exit) in tx 77c1…`,
  options: { ...NODE_OPTIONS, ...L1_OPTIONS, ...KEY_OPTIONS, ...PROOF_OPTIONS, 'freeze-only': { type: 'boolean' }, timeout: { type: 'string' }, account: { type: 'string' } },
  async run(ctx) {
    const timeoutMs = parseDuration((ctx.values.timeout as string | undefined) ?? '10m', '--timeout')
    const source = proofSourceOf(ctx)
    const { client, info, url, offline } = await connect(ctx, { allowOffline: true })
    if (offline) ctx.out.info(`the node at ${url} does not answer: using its cached instance settings`)
    const wallet = loadWallet(ctx, info.network)
    const account = accountOf(ctx, info.network)
    const lucid = await lucidOf(ctx, info, wallet)
    const explainIt = (e: unknown) => explain(e, { node: url, account })
    let freeze: { txHash: string; batch: number } | undefined
    try {
      try {
        freeze = await client.freeze({ lucid })
        ctx.out.info(`froze the instance at batch ${freeze.batch} (tx ${freeze.txHash}); waiting for it on layer 1…`)
        const started = Date.now()
        const frozen = await pollUntil(
          async () => (await client.getAnchor({ lucid })).mode === 'frozen',
          { timeoutMs, everyMs: 1000, signal: ctx.signal, onPoll: () => ctx.out.progress('waiting for the freeze', Math.round((Date.now() - started) / 1000), undefined, 's') },
        )
        ctx.out.progressDone()
        if (!frozen) throw new CliError('WAIT_TIMEOUT', `the freeze ${freeze.txHash} is not on layer 1 after ${timeoutMs / 1000} s`, 'run "lagoon exodus" again later: it continues where this stopped')
      } catch (e) {
        if (!(e instanceof LayerOneError && e.code === 'ANCHOR_FROZEN')) throw e
      }
      if (ctx.values['freeze-only']) {
        ctx.out.result({ frozen: true, freeze: freeze ?? null }, () => (freeze ? `froze the instance at batch ${freeze.batch} (tx ${freeze.txHash})` : 'the instance is already frozen'))
        return 0
      }
      if (offline && source === undefined) throw new CliError('NO_LOG', 'the node is gone and no log source is given', 'pass --log FILE (a saved copy of GET /log) or --proof-from RELAY_URL')
      const w = await client.exodusWithdraw({ lucid, account, ...(source ? { source } : {}) })
      await awaitL1Block(ctx, w.txHash, timeoutMs)
      ctx.out.result({ account, amount: w.amount, txHash: w.txHash, batch: w.batch, freeze: freeze ?? null }, () => `withdrew ${formatAda(w.amount)} (balance + pending exit) in tx ${w.txHash}`)
      return 0
    } catch (e) {
      ctx.out.progressDone()
      throw explainIt(e)
    }
  },
}
