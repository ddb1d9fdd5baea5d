import type { Command } from '../Command.js'
import { auditCommand } from './audit.js'
import { depositCommand } from './deposit.js'
import { exodusCommand } from './exodus.js'
import { payCommand } from './pay.js'
import { refundCommand } from './refund.js'
import { registerCommand } from './register.js'
import { relayCommand } from './relay.js'
import { sequencerCommand } from './sequencer.js'
import { statusCommand } from './status.js'
import { tokenCommand } from './token.js'
import { withdrawCommand } from './withdraw.js'

/**
 * Every `lagoon` command, in the order `lagoon --help` lists them (one file a command).
 *
 * @example
 * COMMANDS.find((c) => c.name === 'status')
 */
export const COMMANDS: readonly Command[] = [
  registerCommand,
  depositCommand,
  payCommand,
  statusCommand,
  withdrawCommand,
  refundCommand,
  exodusCommand,
  auditCommand,
  relayCommand,
  sequencerCommand,
  tokenCommand,
]
