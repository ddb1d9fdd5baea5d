/**
 * `@lagoon/relay`: follows a sequencer's task log and serves the read API from its own SQLite.
 *
 * @example
 * import { startRelay } from '@lagoon/relay'
 */
export {}
