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
import { getBatches, type Batch, type GetBatchesParams } from './actions/getBatches.js'
import { getInstance, type InstanceInfo } from './actions/getInstance.js'
import { getWithdrawalStatus, type GetWithdrawalStatusParams, type WithdrawalStatusResult } from './actions/getWithdrawalStatus.js'
import { waitForCommitment, type WaitForCommitmentParams } from './actions/waitForCommitment.js'
import { waitForDeposit, type DepositCredit, type WaitForDepositParams } from './actions/waitForDeposit.js'
import { watch, type WatchParams } from './actions/watch.js'
import type { BuiltDeposit, DepositParams, DepositResult } from './actions/buildDeposit.js'
import type { BuiltWithdraw, WithdrawParams, WithdrawResult } from './actions/buildWithdraw.js'
import type { FreezeResult } from './actions/freeze.js'
import type { AnchorInfo } from './actions/getAnchor.js'
import type { GetDepositsParams, PendingDeposit } from './actions/getDeposits.js'
import type { GetProofParams } from './actions/getProof.js'
import type { RefundDepositParams, RefundResult } from './actions/refundDeposit.js'
import type { L1Options } from './l1/l1Context.js'
import type { AccountProof } from './proofs/AccountProof.js'
import { loadLayer1 } from './l1/layer1Registry.js'
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
  getInstance(params?: RequestOptions): Promise<InstanceInfo>
  getBatches(params?: GetBatchesParams): Promise<Batch[]>
  getWithdrawalStatus(params: GetWithdrawalStatusParams): Promise<WithdrawalStatusResult>
  waitForCommitment(params: WaitForCommitmentParams): Promise<Batch>
  waitForDeposit(params: WaitForDepositParams): Promise<DepositCredit>
  /** Follows `GET /stream`; returns the function that stops it. */
  watch(params: WatchParams): () => void
  // Layer 1 (Lucid Evolution, loaded on first use):
  buildDeposit(params: DepositParams): Promise<BuiltDeposit>
  deposit(params: DepositParams): Promise<DepositResult>
  getDeposits(params: GetDepositsParams): Promise<PendingDeposit[]>
  getAnchor(params: L1Options): Promise<AnchorInfo>
  refundDeposit(params: RefundDepositParams): Promise<RefundResult>
  getProof(params: GetProofParams): Promise<AccountProof>
  buildWithdraw(params: WithdrawParams): Promise<BuiltWithdraw>
  withdraw(params: WithdrawParams): Promise<WithdrawResult>
  freeze(params: L1Options): Promise<FreezeResult>
  buildExodusWithdraw(params: WithdrawParams): Promise<BuiltWithdraw>
  exodusWithdraw(params: WithdrawParams): Promise<WithdrawResult>
}

const layer1 = loadLayer1

/**
 * Creates a client of a Lagoon node. Runs in Node (≥ 20) and browsers: it only needs `fetch`.
 * Reads are public; submitting needs a `wallet` token unless the node is open. Building transactions
 * needs the instance id, registering also the terms hash.
 *
 * Errors: `ApiError` (the node refused: `code`, `status`, `details`), `NetworkError` (unreachable,
 * timeout, malformed answer), `ClientError` (bad arguments, missing config, wallet refused),
 * `InvalidTxError` (a transaction the protocol's limits refuse, caught before sending), `LayerOneError`
 * (a layer-1 action that cannot go ahead: see its codes).
 *
 * Layer-1 actions (`deposit`, `withdraw`, `refundDeposit`, `freeze`, `exodusWithdraw`, `getProof`
 * with `lucid`) take a Lucid Evolution instance whose wallet pays and signs; they read the instance's
 * settings from `GET /instance` once and load Lucid-dependent code on first use.
 *
 * @example
 * const client = createLagoonClient({ url: 'https://node.example', token, instance, terms })
 * const signer = l2Signer({ account, secretKey })
 * const { seq } = await client.transfer({ signer, to: bob, amount: 5_000_000n })
 * const bal = (await client.getAccount({ account })).balance
 * await client.deposit({ lucid, amount: 10_000_000n })
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
    getInstance: (p) => getInstance(base, p),
    getBatches: (p) => getBatches(base, p),
    getWithdrawalStatus: (p) => getWithdrawalStatus(base, p),
    waitForCommitment: (p) => waitForCommitment(base, p),
    waitForDeposit: (p) => waitForDeposit(base, p),
    watch: (p) => watch(base, p),
    buildDeposit: async (p) => (await layer1()).buildDeposit(base, p),
    deposit: async (p) => (await layer1()).deposit(base, p),
    getDeposits: async (p) => (await layer1()).getDeposits(base, p),
    getAnchor: async (p) => (await layer1()).getAnchor(base, p),
    refundDeposit: async (p) => (await layer1()).refundDeposit(base, p),
    getProof: async (p) => (await layer1()).getProof(base, p),
    buildWithdraw: async (p) => (await layer1()).buildWithdraw(base, p),
    withdraw: async (p) => (await layer1()).withdraw(base, p),
    freeze: async (p) => (await layer1()).freeze(base, p),
    buildExodusWithdraw: async (p) => (await layer1()).buildExodusWithdraw(base, p),
    exodusWithdraw: async (p) => (await layer1()).exodusWithdraw(base, p),
  }
}
