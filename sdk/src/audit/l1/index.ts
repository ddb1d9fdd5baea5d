/**
 * The auditor's layer-1 side (`@lagoon/sdk/audit-l1`, apart from the main entry: it loads Lucid): reading commitments from the chain (never from the operator) and
 * comparing them with the replay.
 *
 * @example
 * import { auditWithL1, blockfrostReader } from '@lagoon/sdk/audit-l1'
 */
export * from './L1Reader.js'
export * from './blockfrostReader.js'
export * from './devnetReader.js'
export * from './decodeL1Tx.js'
export * from './readAnchorHistory.js'
export * from './l1EventCollector.js'
export * from './checkAgainstL1.js'
export * from './auditWithL1.js'
export * from './l1EventMatcher.js'
export * from './checkLogEventsOnL1.js'
export * from './withdrawPaysExit.js'
export * from './verifyExitPayout.js'
export * from './auditConservation.js'
