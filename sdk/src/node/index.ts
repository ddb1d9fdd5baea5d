/**
 * Node-only helpers of the SDK (they use `node:crypto`): import `@lagoon/sdk/node`.
 *
 * @example
 * import { createNodeEd25519Verify } from '@lagoon/sdk/node'
 */
export * from './createNodeEd25519Verify.js'
export * from './ed25519KeyObject.js'
export * from '../audit/node/createWorkerBatchVerifier.js'
export * from '../audit/node/LogFile.js'
export * from '../audit/node/LogFileCorruptError.js'
