/**
 * The client's layer-1 actions as standalone functions of a `BaseClient` (viem-style): deposits,
 * proofs checked against the anchor, withdrawals, refunds, freeze and exodus. They need Lucid
 * Evolution, so they live in their own entry (`@lagoon/sdk/layer1`); `createLagoonClient`'s methods
 * of the same names load this module on first use, keeping Lucid out of bundles that never touch
 * layer 1.
 *
 * @example
 * import { createTransport } from '@lagoon/sdk'
 * import { withdraw } from '@lagoon/sdk/layer1'
 * await withdraw(createTransport({ url }), { lucid })
 */
export * from './actions/buildDeposit.js'
export * from './actions/buildWithdraw.js'
export * from './actions/exodusWithdraw.js'
export * from './actions/freeze.js'
export * from './actions/getAnchor.js'
export * from './actions/getDeposits.js'
export * from './actions/getProof.js'
export * from './actions/refundDeposit.js'
export * from './l1/anchorExitsSince.js'
export * from './l1/l1Context.js'
export * from './proofs/replayToAnchor.js'
export * from './l1/connectLucid.js'

import * as self from './layer1.js'
import { registerLayer1 } from './l1/layer1Registry.js'

registerLayer1(self)
