/**
 * `@lagoon/sdk`: what users, apps and auditors import. Today: the protocol core and the typed
 * errors; the API client, layer-1 builders, auditor and relay join it in later steps.
 *
 * @example
 * import { buildSignedTx, loadBlake2b256 } from '@lagoon/sdk'
 */
export * from './core/index.js'
export * from './errors/DecodeError.js'
export * from './errors/LagoonError.js'
