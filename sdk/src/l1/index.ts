/**
 * Layer-1 transaction builders for Lagoon's validators, reading the CIP-57 blueprint.
 *
 * @example
 * import { buildInitTx, buildCommitTx, lagoonScripts } from '@lagoon/sdk/l1'
 */
export * from './data.js'
export * from './scripts.js'
export * from './common.js'
export * from './exits.js'
export * from './exactFee.js'
export * from './buildInitTx.js'
export * from './buildDepositTx.js'
export * from './L1BuildError.js'
export * from './buildCommitTx.js'
export * from './buildWithdrawTx.js'
export * from './buildFreezeTx.js'
export * from './buildRefundTx.js'
export * from './scriptRefs.js'
