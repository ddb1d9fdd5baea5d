/**
 * `@lagoon/relay`: follows a sequencer's task log, rebuilds the state in its own SQLite with the same
 * protocol core, checks every committed root, and serves the read API.
 *
 * @example
 * import { startRelay } from '@lagoon/relay'
 * const { url, stop } = await startRelay({ from: 'http://127.0.0.1:8080', db: 'relay.db', port: 8090 })
 */
export * from './Relay.js'
export * from './RelayOptions.js'
export * from './RelayL1Check.js'
export * from './probeWithheldTail.js'
export * from './CommittedView.js'
export * from './createRelayApp.js'
export * from './startRelay.js'
