import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon exodus` (being written). */
export const exodusCommand: Command = {
  name: 'exodus',
  summary: '(not yet available)',
  usage: 'usage: lagoon exodus (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon exodus is not available yet')
  },
}
