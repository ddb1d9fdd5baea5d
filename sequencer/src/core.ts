/**
 * The protocol core as the sequencer uses it: re-exported from `@lagoon/sdk`, the one place the node
 * names the SDK, so the node runs exactly the transition auditors and relays run.
 *
 * @example
 * import { apply, decodeSignedTx, type Task } from '../core.js'
 */
export * from '@lagoon/sdk/core'
export { createNodeEd25519Verify, ED25519_KEY_SOURCE } from '@lagoon/sdk/node'
export { LagoonError, DecodeError, type DecodeErrorCode, type Batch } from '@lagoon/sdk'
