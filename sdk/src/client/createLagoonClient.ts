import { deleteRecord, type DeleteRecordParams } from './actions/deleteRecord.js'
import { getAccount, type GetAccountParams } from './actions/getAccount.js'
import { getLog, getLogPage, type GetLogPageParams, type GetLogParams } from './actions/getLog.js'
import { getReceipt, type GetReceiptParams } from './actions/getReceipt.js'
import { getRecords, type GetRecordsParams } from './actions/getRecords.js'
import { getState } from './actions/getState.js'
import { put, type PutParams } from './actions/put.js'
import { register, rotateKey, type KeyAuthorizationParams, type KeyAuthorizationResult, type RotateKeyParams } from './actions/register.js'
import { requestWithdrawal, type RequestWithdrawalParams } from './actions/requestWithdrawal.js'
import { sendActions, signTx, type SendActionsParams, type SentTx } from './actions/sendActions.js'
import { submitTx, type SubmitTxParams } from './actions/submitTx.js'
import { submitTxs, type SubmitTxsParams, type SubmitTxsResult } from './actions/submitTxs.js'
import { transfer, type TransferParams } from './actions/transfer.js'
import { waitForReceipt, type WaitForReceiptParams } from './actions/waitForReceipt.js'
import { createTransport, type BaseClient } from './transport.js'
import type { Account, LagoonClientConfig, LogPage, NodeState, Receipt, RecordEntry, RequestOptions } from './types.js'
import type { Action, SignedTx } from '../core/tx/types.js'
import type { L2Signer } from './signers/L2Signer.js'

/**
 * A Lagoon client: the transport plus every action bound to it. Each action is also a standalone
 * function of a `BaseClient` (`import { transfer } from '@lagoon/sdk'`), viem-style.
 */
export interface LagoonClient extends BaseClient {
  getAccount(params: GetAccountParams): Promise<Account>
  getRecords(params: GetRecordsParams): Promise<RecordEntry[]>
  getReceipt(params: GetReceiptParams): Promise<Receipt>
  getState(params?: RequestOptions): Promise<NodeState>
  getLogPage(params?: GetLogPageParams): Promise<LogPage>
  getLog(params?: GetLogParams): AsyncGenerator<LogPage, void, undefined>
  submitTx(params: SubmitTxParams): Promise<Receipt>
  submitTxs(params: SubmitTxsParams): Promise<SubmitTxsResult[]>
  signTx(params: { signer: L2Signer; nonce: number; fee?: bigint; actions: readonly Action[] }): Promise<SignedTx>
  sendActions(params: SendActionsParams): Promise<SentTx>
  transfer(params: TransferParams): Promise<SentTx>
  put(params: PutParams): Promise<SentTx>
  deleteRecord(params: DeleteRecordParams): Promise<SentTx>
  requestWithdrawal(params: RequestWithdrawalParams): Promise<SentTx>
  register(params: KeyAuthorizationParams): Promise<KeyAuthorizationResult>
  rotateKey(params: RotateKeyParams): Promise<KeyAuthorizationResult>
  waitForReceipt(params: WaitForReceiptParams): Promise<Receipt>
}

/**
 * Creates a client of a Lagoon node. Runs in Node (≥ 20) and browsers: it only needs `fetch`.
 * Reads are public; submitting needs a `wallet` token unless the node is open. Building transactions
 * needs the instance id, registering also the terms hash.
 *
 * Errors: `ApiError` (the node refused: `code`, `status`, `details`), `NetworkError` (unreachable,
 * timeout, malformed answer), `ClientError` (bad arguments, missing config, wallet refused),
 * `InvalidTxError` (a transaction the protocol's limits refuse, caught before sending).
 *
 * @example
 * const client = createLagoonClient({ url: 'https://node.example', token, instance, terms })
 * const signer = l2Signer({ account, secretKey })
 * const { seq } = await client.transfer({ signer, to: bob, amount: 5_000_000n })
 * const bal = (await client.getAccount({ account })).balance
 */
export function createLagoonClient(config: LagoonClientConfig): LagoonClient {
  const base = createTransport(config)
  return {
    ...base,
    getAccount: (p) => getAccount(base, p),
    getRecords: (p) => getRecords(base, p),
    getReceipt: (p) => getReceipt(base, p),
    getState: (p) => getState(base, p),
    getLogPage: (p) => getLogPage(base, p),
    getLog: (p) => getLog(base, p),
    submitTx: (p) => submitTx(base, p),
    submitTxs: (p) => submitTxs(base, p),
    signTx: (p) => signTx(base, p),
    sendActions: (p) => sendActions(base, p),
    transfer: (p) => transfer(base, p),
    put: (p) => put(base, p),
    deleteRecord: (p) => deleteRecord(base, p),
    requestWithdrawal: (p) => requestWithdrawal(base, p),
    register: (p) => register(base, p),
    rotateKey: (p) => rotateKey(base, p),
    waitForReceipt: (p) => waitForReceipt(base, p),
  }
}
