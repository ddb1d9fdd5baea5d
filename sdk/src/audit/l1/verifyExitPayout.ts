import { Data } from '@lucid-evolution/lucid'
import { toHex } from '../../core/bytes.js'
import { anchorRedeemerFromData, type AnchorRedeemer } from '../../l1/data.js'
import { decodeL1Tx } from './decodeL1Tx.js'
import type { L1Reader } from './L1Reader.js'
import type { InstanceAddresses } from './readAnchorHistory.js'
import { withdrawPaysExit, type WithdrawPayouts } from './withdrawPaysExit.js'

/**
 * Parameters of {@link verifyExitPayout}: the layer-1 reader, the instance, and the payout as the node
 * or the log claims it (the tx, the account, the lovelace).
 *
 * @example
 * const p: VerifyExitPayoutParams = { l1: blockfrostReader({ url }), instance: scripts, txHash: w.paidTx!, account, amount: w.amount }
 */
export interface VerifyExitPayoutParams {
  readonly l1: L1Reader
  /** The anchor address and the state token (`lagoonScripts(seed, network)`, or `GET /instance` checked by the SDK). */
  readonly instance: Pick<InstanceAddresses, 'anchorAddress' | 'unit'>
  /** The layer-1 tx said to have paid it (hex). */
  readonly txHash: string
  /** The account paid (hex or 28 bytes). */
  readonly account: string | Uint8Array
  readonly amount: bigint
}

/**
 * What layer 1 shows about a claimed payout: `seen` (a Withdraw of this instance's anchor paid it), or
 * not, with the reason.
 *
 * @example
 * const c: ExitPayoutCheck = await verifyExitPayout(p)
 * console.log(c.seen ? 'paid on layer 1' : `not seen on layer 1: ${c.reason}`)
 */
export type ExitPayoutCheck = { readonly seen: true; readonly txHash: string } | { readonly seen: false; readonly txHash: string; readonly reason: string }

/**
 * Checks a payout on layer 1 itself, instead of taking the node's word for it (`status: 'paid'`, an
 * `exitPaid` task): the tx exists on layer 1, spends the instance's anchor output (the one holding the
 * state token) with the Withdraw redeemer, that redeemer pays an exit to the account of at least
 * `amount`, and an output whose payment credential is the account's key hash holds at least `amount`.
 * Throws `L1ReadError` when layer 1 cannot be read (that is "not checked", not "not paid").
 *
 * @example
 * const w = await client.getWithdrawalStatus({ account })
 * if (w.status === 'paid') {
 *   const c = await verifyExitPayout({ l1: blockfrostReader({ url: l1Url }), instance: scripts, txHash: w.paidTx!, account, amount: w.amount })
 *   console.log(c.seen ? 'paid on layer 1' : `recorded by the node, not seen on layer 1: ${c.reason}`)
 * }
 */
export async function verifyExitPayout(p: VerifyExitPayoutParams): Promise<ExitPayoutCheck> {
  const txHash = p.txHash.toLowerCase()
  const account = typeof p.account === 'string' ? p.account.toLowerCase() : toHex(p.account)
  const w = await readWithdrawPayouts(p.l1, p.instance, txHash)
  if (typeof w === 'string') return { seen: false, txHash, reason: w }
  const problem = withdrawPaysExit(w, account, p.amount)
  return problem === undefined ? { seen: true, txHash } : { seen: false, txHash, reason: `tx ${txHash}: ${problem}` }
}

/**
 * Reads a layer-1 tx and, if it is a Withdraw of the instance's anchor (it spends the output holding the
 * state token with the Withdraw redeemer), returns the exits of its redeemer and its other outputs;
 * otherwise the reason it is not, as a string. Throws `L1ReadError` when layer 1 cannot be read.
 *
 * @example
 * const w = await readWithdrawPayouts(l1, scripts, txHash)
 * if (typeof w === 'string') console.log('not a Withdraw:', w)
 */
export async function readWithdrawPayouts(l1: L1Reader, instance: Pick<InstanceAddresses, 'anchorAddress' | 'unit'>, txHash: string): Promise<WithdrawPayouts | string> {
  if (!/^[0-9a-f]{64}$/i.test(txHash)) return `"${txHash}" is not a layer-1 tx hash`
  const rec = await l1.getTx(txHash)
  if (!rec) return `layer 1 does not know tx ${txHash}`
  const { unit, anchorAddress } = instance
  const anchorIn = rec.inputs.find((i) => i.address === anchorAddress && (i.assets[unit] ?? 0n) === 1n)
  if (!anchorIn) return `tx ${txHash} does not spend the instance's anchor`
  const tx = decodeL1Tx(rec.cbor, unit)
  const index = tx.inputs.findIndex((r) => r.txHash === anchorIn.txHash && r.outputIndex === anchorIn.outputIndex)
  const redeemerHex = tx.spendRedeemers.get(index)
  if (redeemerHex === undefined) return `tx ${txHash} spends the anchor without a redeemer`
  let redeemer: AnchorRedeemer
  try {
    redeemer = anchorRedeemerFromData(Data.from(redeemerHex))
  } catch {
    return `tx ${txHash} spends the anchor with a redeemer that is not an anchor redeemer`
  }
  if (redeemer.type !== 'withdraw') return `tx ${txHash} spends the anchor with the ${redeemer.type} redeemer, not Withdraw`
  return {
    exits: redeemer.exits.map((e) => ({ account: toHex(e.leaf.account), amount: e.leaf.pendingExit })),
    payouts: tx.outputs.filter((o) => !(o.address === anchorAddress && o.unitQuantity === 1n)).map((o) => ({ paymentKeyHash: o.paymentKeyHash, lovelace: o.lovelace })),
  }
}
