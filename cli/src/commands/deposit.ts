import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon deposit` (being written). */
export const depositCommand: Command = {
  name: 'deposit',
  summary: '(not yet available)',
  usage: 'usage: lagoon deposit (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon deposit is not available yet')
  },
}
