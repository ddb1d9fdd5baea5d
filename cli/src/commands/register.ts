import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon register` (being written). */
export const registerCommand: Command = {
  name: 'register',
  summary: '(not yet available)',
  usage: 'usage: lagoon register (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon register is not available yet')
  },
}
