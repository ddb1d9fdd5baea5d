import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon withdraw` (being written). */
export const withdrawCommand: Command = {
  name: 'withdraw',
  summary: '(not yet available)',
  usage: 'usage: lagoon withdraw (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon withdraw is not available yet')
  },
}
