import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon pay` (being written). */
export const payCommand: Command = {
  name: 'pay',
  summary: '(not yet available)',
  usage: 'usage: lagoon pay (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon pay is not available yet')
  },
}
