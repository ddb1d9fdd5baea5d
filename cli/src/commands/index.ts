import type { Command } from '../Command.js'

/** A command as `lagoon --help` lists it; its module is imported only when it runs. */
export interface CommandEntry {
  readonly name: string
  /** The same one-line summary as the command's own `summary` (a test keeps them equal). */
  readonly summary: string
  load(): Promise<Command>
}

/**
 * Every `lagoon` command, in the order `lagoon --help` lists them (one file a command). Modules load
 * lazily: Lucid, SQLite and the node are heavy, and `lagoon pay` should not pay for `lagoon sequencer`.
 *
 * @example
 * const command = await COMMANDS.find((c) => c.name === 'status')!.load()
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'register', summary: 'register your account: the wallet authorizes a new layer-2 key (CIP-8)', load: async () => (await import('./register.js')).registerCommand },
  { name: 'deposit', summary: 'lock ADA on layer 1 and get it on layer 2 (credited after k confirmations)', load: async () => (await import('./deposit.js')).depositCommand },
  { name: 'pay', summary: 'pay ADA to another account on layer 2 (instant, signed with your layer-2 key)', load: async () => (await import('./pay.js')).payCommand },
  { name: 'status', summary: 'show an account: balance, pending exit, withdrawals, waiting deposits', load: async () => (await import('./status.js')).statusCommand },
  { name: 'withdraw', summary: 'move ADA back to layer 1: request, then wait for the payout or withdraw yourself (--self)', load: async () => (await import('./withdraw.js')).withdrawCommand },
  { name: 'refund', summary: 'take back deposits the operator did not absorb by their refund time', load: async () => (await import('./refund.js')).refundCommand },
  { name: 'exodus', summary: 'the operator is gone: freeze the instance and take your whole balance back to layer 1', load: async () => (await import('./exodus.js')).exodusCommand },
  { name: 'audit', summary: "check a node's task log, signatures and every layer-1 commitment", load: async () => (await import('./audit.js')).auditCommand },
  { name: 'relay', summary: "follow a node's log, check every batch, serve the read API", load: async () => (await import('./relay.js')).relayCommand },
  { name: 'sequencer', summary: "run the operator's node: lagoon sequencer start|deploy-refs [--config FILE]", load: async () => (await import('./sequencer.js')).sequencerCommand },
  { name: 'token', summary: 'create, revoke or list API tokens (admin, relay, wallet)', load: async () => (await import('./token.js')).tokenCommand },
]
