import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon relay` (being written). */
export const relayCommand: Command = {
  name: 'relay',
  summary: '(not yet available)',
  usage: 'usage: lagoon relay (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon relay is not available yet')
  },
}
