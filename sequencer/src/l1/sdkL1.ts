/**
 * The SDK's layer-1 builders and data codecs as the node uses them (`@lagoon/sdk/l1`): the same pure
 * builders users and tests run.
 *
 * @example
 * import { buildCommitTx, anchorDatumFromData } from './sdkL1.js'
 */
export * from '@lagoon/sdk/l1'
