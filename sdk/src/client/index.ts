/**
 * The Lagoon API client (browser and Node): `createLagoonClient` and its actions, one per file.
 *
 * @example
 * import { createLagoonClient, l2Signer } from '@lagoon/sdk'
 * const client = createLagoonClient({ url, instance })
 */
export * from './actions/deleteRecord.js'
export * from './actions/getAccount.js'
export * from './actions/getLog.js'
export * from './actions/getReceipt.js'
export * from './actions/getRecords.js'
export * from './actions/getState.js'
export * from './actions/put.js'
export * from './actions/register.js'
export * from './actions/requestWithdrawal.js'
export * from './actions/sendActions.js'
export * from './actions/submitTx.js'
export * from './actions/submitTxs.js'
export * from './actions/transfer.js'
export * from './actions/waitForReceipt.js'
export * from './createLagoonClient.js'
export * from './errors.js'
export * from './signers/Cip8Wallet.js'
export * from './signers/L2Signer.js'
export * from './signers/privateKeyWallet.js'
export * from './transport.js'
export * from './types.js'
