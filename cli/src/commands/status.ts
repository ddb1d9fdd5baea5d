import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon status` (being written). */
export const statusCommand: Command = {
  name: 'status',
  summary: '(not yet available)',
  usage: 'usage: lagoon status (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon status is not available yet')
  },
}
