/**
 * `@lagoon/sdk`: what users, apps and auditors import. The protocol core, the typed errors,
 * the API client (`createLagoonClient`, browser and Node) and the log auditor (`auditLog`).
 *
 * @example
 * import { buildSignedTx, loadBlake2b256 } from '@lagoon/sdk'
 */
export * from './core/index.js'
export * from './errors/DecodeError.js'
export * from './errors/LagoonError.js'
export * from './client/index.js'
export * from './audit/index.js'
export * from './conservation/index.js'
