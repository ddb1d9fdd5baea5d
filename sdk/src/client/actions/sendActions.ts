import { checkTxBody } from '../../core/tx/checkTxBody.js'
import { encodeSignedTx, encodeTxBody } from '../../core/tx/encodeTx.js'
import { InvalidTxError } from '../../core/tx/InvalidTxError.js'
import type { Action, SignedTx, TxBody } from '../../core/tx/types.js'
import type { L2Signer } from '../signers/L2Signer.js'
import type { BaseClient } from '../transport.js'
import type { Receipt, RequestOptions } from '../types.js'
import { getAccount } from './getAccount.js'
import { submitTx } from './submitTx.js'

/** What every transaction-sending action takes besides its own fields. */
export interface TxOptions extends RequestOptions {
  /** The account and its layer-2 key. */
  readonly signer: L2Signer
  /** The nonce; default: the account's current nonce, fetched from the node. Pass it to send several transactions back to back. */
  readonly nonce?: number
  /** The fee to the operator, lovelace; default 0. */
  readonly fee?: bigint
}

/** Parameters of {@link sendActions}. */
export interface SendActionsParams extends TxOptions {
  /** 1 to 16 actions, applied in order, all or none. */
  readonly actions: readonly Action[]
}

/** A sent transaction: its receipt and the signed transaction itself. */
export interface SentTx extends Receipt {
  readonly tx: SignedTx
}

/**
 * Builds and signs a transaction (no network): checks the body against the limits, computes the id and
 * signs it with the signer's layer-2 key. Throws `InvalidTxError` for a body the protocol refuses.
 *
 * @example
 * const tx = await signTx(client, { signer, nonce: 3, actions: [{ type: 'withdraw', amount: 2_000_000n }] })
 */
export async function signTx(client: BaseClient, params: { signer: L2Signer; nonce: number; fee?: bigint; actions: readonly Action[] }): Promise<SignedTx> {
  const body: TxBody = { instance: client.requireInstance(), signer: params.signer.account, nonce: params.nonce, fee: params.fee ?? 0n, actions: params.actions }
  const problem = checkTxBody(body, client.limits)
  if (problem) throw new InvalidTxError(problem.code, problem.message)
  const bodyBytes = encodeTxBody(body)
  const id = client.hash(bodyBytes)
  const signature = await params.signer.signTxId(id)
  const bytes = encodeSignedTx(body, signature)
  if (bytes.length > client.limits.maxTxBytes) {
    throw new InvalidTxError('LIMIT_EXCEEDED', `the signed transaction is ${bytes.length} bytes; at most ${client.limits.maxTxBytes}`)
  }
  return { body, bodyBytes, id, signature, bytes }
}

/**
 * Sends several actions (transfers, withdrawals, record puts and deletes) as one transaction: they
 * apply in order, all or none. Fetches the nonce when not given, signs with the layer-2 key (no wallet
 * pop-up) and resolves once the node has applied it.
 *
 * @example
 * await client.sendActions({
 *   signer,
 *   actions: [
 *     { type: 'transfer', to: shop, amount: 2_000_000n },
 *     { type: 'put', key: utf8('order/42'), value: utf8('paid') },
 *   ],
 * })
 */
export async function sendActions(client: BaseClient, params: SendActionsParams): Promise<SentTx> {
  const signal = params.signal ? { signal: params.signal } : {}
  const nonce = params.nonce ?? (await getAccount(client, { account: params.signer.account, ...signal })).nonce
  const tx = await signTx(client, { signer: params.signer, nonce, actions: params.actions, ...(params.fee === undefined ? {} : { fee: params.fee }) })
  const receipt = await submitTx(client, { tx, ...signal })
  return { ...receipt, tx }
}

/** Bytes from bytes, or from a string as UTF-8: record keys and values. */
export function bytesArg(v: Uint8Array | string): Uint8Array {
  return typeof v === 'string' ? new TextEncoder().encode(v) : v
}
