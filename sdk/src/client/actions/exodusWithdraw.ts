import type { BaseClient } from '../transport.js'
import { completeAndSubmit } from '../l1/l1Context.js'
import { buildExit, type BuiltWithdraw, type WithdrawParams, type WithdrawResult } from './buildWithdraw.js'

/**
 * Builds (does not sign) an exodus withdrawal: the anchor is frozen, and the account's whole balance
 * plus pending exit is paid to its address with a proof against the last root. The proof defaults to
 * a local replay (`source: 'local'` from the node's log; pass `{ log }` with a saved copy or
 * `{ relay: url }` when the operator is gone). `ANCHOR_ACTIVE` when the anchor is not frozen yet.
 *
 * @example
 * const { tx, amount } = await client.buildExodusWithdraw({ lucid, source: { log: savedEntries } })
 */
export function buildExodusWithdraw(client: BaseClient, params: WithdrawParams): Promise<BuiltWithdraw> {
  return buildExit(client, params, true)
}

/**
 * Exodus: takes the account's whole layer-2 value (balance + pending exit) back to layer 1 from the
 * frozen anchor, signed by Lucid's wallet. Works without the operator (pass `instanceInfo` and a log
 * source).
 *
 * @example
 * await client.freeze({ lucid, instanceInfo })
 * const { amount } = await client.exodusWithdraw({ lucid, instanceInfo, source: { log } })
 */
export async function exodusWithdraw(client: BaseClient, params: WithdrawParams): Promise<WithdrawResult> {
  const built = await buildExodusWithdraw(client, params)
  const { txHash } = await completeAndSubmit(built.tx, 'exodus withdraw')
  return { txHash, amount: built.amount, account: built.account, batch: built.proof.batch }
}
