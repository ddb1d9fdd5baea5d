/**
 * The conservation invariant: the ADA layer 1 holds for layer 2 equals what layer 2 owes.
 *
 * @example
 * import { checkConservation } from '@lagoon/sdk'
 */
export * from './checkConservation.js'
