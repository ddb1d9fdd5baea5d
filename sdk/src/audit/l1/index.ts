/**
 * The auditor's layer-1 side: reading commitments from the chain (never from the operator) and
 * comparing them with the replay.
 *
 * @example
 * import { auditWithL1, blockfrostReader } from '@lagoon/sdk'
 */
export * from './L1Reader.js'
export * from './blockfrostReader.js'
export * from './devnetReader.js'
export * from './decodeL1Tx.js'
export * from './readAnchorHistory.js'
export * from './l1EventCollector.js'
export * from './checkAgainstL1.js'
export * from './auditWithL1.js'
