/**
 * The log auditor (browser and Node): `auditLog`, `checkCommitments`, the batch verifier interface.
 * The worker-thread verifier for Node is `createWorkerBatchVerifier` in `./node/`.
 *
 * @example
 * import { auditLog } from '@lagoon/sdk'
 */
export * from './auditLog.js'
export * from './BatchVerifier.js'
export * from './checkCommitments.js'
export * from './types.js'
